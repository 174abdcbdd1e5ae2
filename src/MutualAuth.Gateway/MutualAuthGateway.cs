using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.AspNetCore.Authentication;
using MutualAuth.AspNetCore.MessageSignatures;
using MutualAuth.AspNetCore.TrustMaterial;
using MutualAuth.AspNetCore.WebAuthn;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using Yarp.ReverseProxy.Forwarder;

namespace MutualAuth.Gateway;

/// <summary>
/// The mutually authenticating HTTPS gateway: Kestrel with client certificates checked in the handshake, routes,
/// <c>GET /whoami</c>, and an optional reverse proxy (YARP) that forwards the identity in headers.
/// </summary>
public static class MutualAuthGateway
{
    /// <summary>Builds the gateway application (not started).</summary>
    /// <param name="options">Validated settings.</param>
    /// <param name="configureLogging">Optional logging configuration.</param>
    /// <exception cref="InvalidOperationException">The options are incomplete.</exception>
    public static WebApplication Build(GatewayOptions options, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TokenServer is not null)
        {
            Tokens.TokenServerEndpoints.AddRoutes(options.Routes);
        }

        options.Validate();
        // The empty builder reads no configuration: with the default builders, an appsettings.json in the working
        // directory (or ASPNETCORE_/DOTNET_ variables) could add Kestrel endpoints, e.g. plain HTTP beside the mTLS
        // listener, and the file watcher on the working directory woke up on every write to a data folder under it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        configureLogging?.Invoke(builder.Logging);

        builder.Services.AddSingleton(options.TimeProvider);
        if (options.AuditStore is { } auditStore)
        {
            // The schemes' one audit sink registration (AddMutualTls…) records to the store registered here.
            builder.Services.AddSingleton(auditStore);
        }

        // No default scheme (ExplicitSchemesOnly, below): RouteAuthentication names the schemes each route needs
        // (WebApplication would otherwise run a default scheme on every request by itself).
        var authentication = builder.Services.AddAuthentication().AddMutualTls(o => o.TrustPolicy = options.TrustPolicy);
        if (options.UsesScram)
        {
            authentication.AddScram(o =>
            {
                o.UserStore = options.ScramUsers;
                o.ServerSecret = options.ScramServerSecret;
                options.ConfigureScram?.Invoke(o);
            });
        }

        if (options.UsesSignatures)
        {
            authentication.AddHttpSignatures(o =>
            {
                o.ResolveClient = options.SignatureClients;
                o.ReplayCache = options.ReplayCache;
            });
        }

        if (options.UsesTokens)
        {
            Tokens.TokenServerEndpoints.AddResource(authentication, options.TokenServer!, options.TimeProvider);
        }

        if (options.UsesWebAuthn)
        {
            authentication.AddWebAuthn(options.ConfigureWebAuthn!);
        }

        builder.Services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, ExplicitSchemesOnly>());
        builder.Services.AddHttpForwarder();
        // Session cookies are sealed with keys of this process only (a restart ends sessions, docs/scram.md). The key
        // manager's start-up service would still create a key ring in ~/.aspnet, unencrypted ("No XML encryptor configured"):
        // it is kept in memory instead, so no key is ever written to disk and there is nothing to encrypt at rest.
        // With a shared store, the ring lives there instead (sealed at rest), so a session cookie opens on every node.
        if (options.SharedKeyRing is { } sharedKeyRing)
        {
            sharedKeyRing(builder.Services.AddDataProtection());
        }
        else
        {
            builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
            builder.Services.Configure<KeyManagementOptions>(o =>
            {
                o.XmlRepository = new ProcessMemoryXmlRepository();
                o.XmlEncryptor = new NullXmlEncryptor();
            });
        }

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Listen(options.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (options.ServerCertificateSource is { } source)
                {
                    listen.UseMutualTls(source, allowNoCertificate: options.AllowsClientsWithoutCertificate);
                }
                else
                {
                    listen.UseMutualTls(options.ServerCertificate!, options.ServerCertificateChain, allowNoCertificate: options.AllowsClientsWithoutCertificate);
                }
            });
        });

        var app = builder.Build();
        var headers = new IdentityHeaders(options.IdentityHeaderPrefix);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MutualAuth.Gateway");
        var outage = new StoreOutage(options.StoreAvailability, options.TimeProvider, logger);
        app.Use(outage.InvokeAsync);
        app.Use((context, next) =>
        {
            headers.Strip(context.Request.Headers);
            return next(context);
        });
        app.Use(new RouteAuthentication([.. options.Routes, .. WebAuthnPageRoute(options)], app.Services.GetRequiredService<AuthenticationMethodRegistry>(), outage).InvokeAsync);
        if (options.UsesSignatures)
        {
            var (keyId, key) = options.ResponseSigningKey!();
            app.Use(new ResponseSignatureMiddleware(keyId, key, options.TimeProvider).InvokeAsync);
        }

        if (options.UsesTokens)
        {
            var tokenKeys = options.TokenServer!;
            app.Use(new MutualAuth.AspNetCore.Tokens.AccessTokenResponseSignatureMiddleware(() => Tokens.TokenServerEndpoints.ResponseSigningKey(tokenKeys), options.TimeProvider).InvokeAsync);
        }

        if (logger.IsEnabled(LogLevel.Debug)) // the arguments cost allocations even when the line is not written
        {
            app.Use((context, next) =>
            {
                var identity = context.GetMutualIdentity();
                Log.Request(logger, context.Request.Method, LogText.Escape(context.Request.Path.Value), LogText.Escape(identity?.Subject), context.Connection.PeerEndpoint());
                return next(context);
            });
        }

        // Endpoints are RequestDelegates, not reflected-over lambdas: no RequestDelegateFactory, so serve can be
        // published with native AOT (docs/benchmarks.md).
        // On a 'none' route there is no identity to show: 403 with a plain explanation, never a made-up subject.
        app.MapGet("/whoami", context => (context.GetMutualIdentity() is { } identity
            ? Results.Json(WhoAmI.From(identity), GatewayJsonContext.Relaxed.WhoAmI)
            : Results.Text("No identity: this path is served without authentication (route method 'none').\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden))
            .ExecuteAsync(context));
        if (options.CrlPath is { } crlPath)
        {
            app.MapGet("/ca/crl", context => Results.Bytes(CertificateRevocationList.Parse(BoundedFile.ReadAllBytes(crlPath)).RawData, "application/pkix-crl").ExecuteAsync(context));
        }

        if (options.Renew is { } renew)
        {
            app.MapPost("/ca/renew", async context => await (await CertificateRenewalEndpoint.Handle(context, renew, logger)).ExecuteAsync(context));
        }

        if (options.TokenServer is { } tokenServer)
        {
            Tokens.TokenServerEndpoints.Map(app, tokenServer, options.TimeProvider);
        }

        if (options.UsesWebAuthn)
        {
            app.MapWebAuthn();
        }

        if (options.Upstream is not null)
        {
            MapUpstream(app, options.Upstream, new IdentityForwardingTransformer(headers));
        }

        return app;
    }

    /// <summary>
    /// The login page and its public ceremony endpoints need no authentication: <c>/webauthn=none</c> unless the operator
    /// routed <c>/webauthn</c> itself. <c>/webauthn/register/options</c> then has no identity and answers only to an
    /// invitation, until the operator routes it (e.g. <c>/webauthn/register=mtls</c>).
    /// </summary>
    private static IEnumerable<GatewayRoute> WebAuthnPageRoute(GatewayOptions options) =>
        options.UsesWebAuthn && !options.Routes.Any(r => string.Equals(r.PathPrefix, WebAuthnDefaults.BasePath, StringComparison.OrdinalIgnoreCase))
            ? [new GatewayRoute(WebAuthnDefaults.BasePath, [[GatewayRoute.NoAuthentication]])]
            : [];

    private static void MapUpstream(WebApplication app, Uri upstream, HttpTransformer transformer)
    {
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        });
        var prefix = upstream.ToString().TrimEnd('/');
        app.Map("/{**path}", async context =>
        {
            var error = await forwarder.SendAsync(context, prefix, client, ForwarderRequestConfig.Empty, transformer);
            if (error != ForwarderError.None && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
        });
    }

    /// <summary>A Data Protection key ring that lives and dies with the process: nothing reaches the disk.</summary>
    private sealed class ProcessMemoryXmlRepository : IXmlRepository
    {
        private readonly List<System.Xml.Linq.XElement> _elements = [];

        public IReadOnlyCollection<System.Xml.Linq.XElement> GetAllElements()
        {
            lock (_elements)
            {
                return [.. _elements.Select(e => new System.Xml.Linq.XElement(e))];
            }
        }

        public void StoreElement(System.Xml.Linq.XElement element, string friendlyName)
        {
            lock (_elements)
            {
                _elements.Add(new System.Xml.Linq.XElement(element));
            }
        }
    }
}
