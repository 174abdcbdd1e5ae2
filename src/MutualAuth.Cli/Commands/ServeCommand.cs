using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MutualAuth.AspNetCore.Audit;
using MutualAuth.Gateway;
using MutualAuth.AspNetCore.MessageSignatures;
using MutualAuth.AspNetCore.TrustMaterial;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.Cli.Settings;
using MutualAuth.Storage;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth serve</c>: the mutually authenticating HTTPS gateway.</summary>
internal static class ServeCommand
{
    private const int MaxAllowRules = 1000;

    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Address and port to listen on.", DefaultValueFactory = _ => ServeSettings.DefaultListen, HelpName = "IP:PORT" };
        var identity = new Option<string>("--identity") { Description = "Server identity from the data folder.", DefaultValueFactory = _ => FirstRun.ServerIdentity, HelpName = "NAME" };
        var cert = new Option<string?>("--cert") { Description = "Server certificate PEM (leaf first, then intermediates) instead of --identity.", HelpName = "FILE" };
        var key = new Option<string?>("--key") { Description = "Private key for --cert: a PEM file, or a key on a PKCS#11 token (HSM, smart card) named by its RFC 7512 URI, pkcs11:token=LABEL;object=KEY (PIN from --pin-file, --pin-env, pin-source=… or a prompt).", HelpName = "FILE|URI" };
        var pinFile = TokenPins.FileOption();
        var pinEnv = TokenPins.EnvironmentOption();
        var module = TokenPins.ModuleOption();
        var trust = new Option<string[]>("--trust") { Description = "Extra trust anchors for client certificates, PEM (repeatable). The data folder's CA is always trusted when it exists.", HelpName = "FILE" };
        var crl = new Option<string[]>("--crl") { Description = "Extra CRL files, PEM or DER (repeatable). The data folder's CRL is always used.", HelpName = "FILE" };
        var revocation = new Option<string>("--revocation") { Description = "Which client certificates are checked against CRLs: leaf, chain or none.", DefaultValueFactory = _ => ServeSettings.DefaultRevocation, HelpName = "MODE" };
        revocation.AcceptOnlyFromAmong(ServeSettings.RevocationModes);
        var trustSystem = new Option<bool>("--trust-system-roots") { Description = "Also accept client certificates that chain to the operating system's root store (off by default)." };
        var allowMissingCrl = new Option<bool>("--allow-missing-crl") { Description = "Accept certificates whose issuer has no current CRL here (default: refuse; fail closed)." };
        var allowCn = new Option<string[]>("--allow-cn") { Description = "Allow client certificates whose subject CN matches this glob, case-sensitive (repeatable).", HelpName = "GLOB" };
        var allowOu = new Option<string[]>("--allow-ou") { Description = "Allow client certificates whose subject OU matches this glob, case-sensitive (repeatable).", HelpName = "GLOB" };
        var allowDns = new Option<string[]>("--allow-dns") { Description = "Allow client certificates with a DNS SAN matching this glob, any case; '*' stays within one label (repeatable).", HelpName = "GLOB" };
        var allowUri = new Option<string[]>("--allow-uri") { Description = "Allow client certificates with a URI SAN (SPIFFE ID) matching this glob, case-sensitive; '*' is within one path segment (repeatable).", HelpName = "GLOB" };
        var upstream = new Option<string?>("--upstream") { Description = "Reverse-proxy accepted requests (other than /whoami) to this http(s) URL, with identity headers.", HelpName = "URL" };
        var headerPrefix = new Option<string>("--identity-header-prefix") { Description = "Prefix of identity headers sent upstream; client-sent headers with it are stripped.", DefaultValueFactory = _ => ServeSettings.DefaultIdentityHeaderPrefix, HelpName = "PREFIX" };
        var route = new Option<string[]>("--route") { Description = "Which methods a path prefix accepts, PATH=METHODS (repeatable): ',' separates alternatives, '+' joins methods that must all succeed, e.g. /api=scram,mtls or /admin=mtls+scram. Methods: mtls, scram, sig (HTTP Message Signatures, keys from 'mutualauth key create'), token (OAuth 2.0 access tokens bound by DPoP or a client certificate, from the built-in authorization server at /oauth/token; clients from 'mutualauth client add'), webauthn (passkey sessions from the page /webauthn/), and none (no authentication and no identity, e.g. /health=none; it must stand alone, without '+' or ','). mtls:hwk accepts only certificates of enrolled cards (key on a token, 'mutualauth card enroll'), e.g. /admin=mtls:hwk. token:bearer also accepts unbound bearer tokens on that route (bound tokens keep their binding), e.g. /public=token:bearer. Paths without a route need mtls.", HelpName = "PATH=METHODS" };
        var requireBinding = new Option<bool>("--scram-require-channel-binding") { Description = "Accept only SCRAM-SHA-256-PLUS/SHA-512-PLUS (bound to this server's certificate); by default -PLUS is offered and the plain mechanisms too." };
        var logLevel = new Option<string>("--log-level")
        {
            Description = "Least severe log lines written: debug adds one line per request (event 9001) and per accepted handshake (1001); information (the default) logs every authentication decision once, as an audit line (9003), plus warnings for refusals.",
            DefaultValueFactory = _ => ServeSettings.DefaultLogLevel,
            HelpName = "trace|debug|information|warning|error",
        };
        logLevel.AcceptOnlyFromAmong(ServeSettings.LogLevels);
        var auditSync = new Option<bool>("--audit-sync")
        {
            Description = "Commit each audit event to the data folder before the handshake or request goes on (slower). By default a background writer commits them in batches, usually within a millisecond; a crash can lose the events not yet committed, a normal stop writes them all.",
        };
        var replaySync = new Option<bool>("--replay-sync")
        {
            Description = "Record each signature nonce, DPoP proof and client assertion id in the data folder before the request goes on (slower). By default a single node checks them in memory and a background writer stores them within about 20 ms, reloaded at start-up; a crash can forget the values of that window, a normal stop writes them all. With --store the shared database is always written first.",
        };
        var publicUrl = new Option<string?>("--public-url") { Description = "The URL clients reach this server at (https://HOST:PORT): the OAuth issuer identifier and the base DPoP proofs are checked against, never the Host header. Default https://localhost:PORT.", HelpName = "URL" };
        var tokenIssuer = new Option<string[]>("--token-issuer") { Description = "Also accept on token routes the access tokens of this external OAuth authorization server (repeatable): its RFC 8414 metadata (or OpenID Connect discovery) must name exactly this issuer; its JWKS is cached and read again for an unknown kid, at most once a minute. Tokens must be RFC 9068 (typ at+jwt) for this server's --public-url and DPoP- or certificate-bound.", HelpName = "URL" };
        var tokenIssuerCa = new Option<string[]>("--token-issuer-ca") { Description = "CA certificates (PEM) the token issuers' TLS certificates must chain to (repeatable).", HelpName = "FILE" };
        var tokenIssuerPin = new Option<string[]>("--token-issuer-pin") { Description = "SPKI pin sha256/BASE64 of a token issuer's TLS key (repeatable): checked in addition to --token-issuer-ca, or alone without one.", HelpName = "PIN" };
        var store = new Option<string?>("--store")
        {
            Description = "Share users, keys, certificates, revocations, replay caches and the audit with other serve nodes through this PostgreSQL database (Host=…;Port=…;Database=…;Username=…;Password=…); copy the data folder (CA keys, secrets) to every node. Default: the data folder's SQLite.",
            HelpName = "CONNECTION",
        };
        var nodeName = new Option<string?>("--node-name") { Description = "This node's name in the shared audit (default: the host name).", HelpName = "NAME" };
        var sessionMinutes = new Option<int>("--scram-session-minutes") { Description = "Lifetime of the session cookie issued after a SCRAM login (0: none; a new exchange per request).", DefaultValueFactory = _ => ServeSettings.DefaultScramSessionMinutes, HelpName = "MINUTES" };
        var webAuthnOrigin = new Option<string?>("--webauthn-origin") { Description = "The public origin browsers use for the WebAuthn page, exactly as they write it (https://host or https://host:port; default https://localhost:PORT). Routes with method webauthn accept its passkey logins.", HelpName = "ORIGIN" };
        var webAuthnRpId = new Option<string?>("--webauthn-rp-id") { Description = "The WebAuthn RP ID: the origin's host (default) or a registrable suffix of it.", HelpName = "DOMAIN" };
        var command = new Command("serve", """
            Run the mutually authenticating HTTPS gateway (TLS 1.2/1.3). Clients must present a certificate that chains to the
            trust anchors, carries EKU clientAuth, is within its validity, is not revoked and matches the allow-rules (with no
            --allow-* rule, every valid certificate is allowed). On an empty data folder it first creates a CA, a server
            certificate and a client identity, and prints the curl command that calls GET /whoami.
            With --route, path prefixes can accept SCRAM passwords (RFC 7804; users from 'mutualauth user add') or signed
            requests (RFC 9421; keys from 'mutualauth key create'; responses signed with HMAC under a key derived from
            an HMAC client's secret, with the server key for the other clients) instead of or in addition to a
            certificate; a presented certificate must still pass.
            Globs in --allow-*: '*' matches within one DNS label or URI segment (a whole label or segment: at least one
            character), '**' matches anything, '?' one character. A client is allowed when any rule matches.
            """)
        {
            listen, identity, cert, key, pinFile, pinEnv, module, trust, trustSystem, crl, revocation, allowMissingCrl, allowCn, allowOu, allowDns, allowUri, upstream, headerPrefix,
            route, requireBinding, sessionMinutes, webAuthnOrigin, webAuthnRpId, logLevel, auditSync, replaySync, publicUrl, tokenIssuer, tokenIssuerCa, tokenIssuerPin, store, nodeName,
        };
        var config = SettingsLoader.ConfigOption();
        command.Options.Add(config);
        command.SetRunner((parseResult, cancellationToken) =>
            Run(SettingsLoader.Load<ServeSettings>(ServeSettingsKeys.Section, parseResult, config), GlobalOptions.Folder(parseResult), cancellationToken));
        return command;
    }

    private static async Task<int> Run(LoadedSettings<ServeSettings> loaded, DataFolder folder, CancellationToken cancellationToken)
    {
        var s = loaded.Values;
        var endpoint = IPEndPoint.TryParse(s.Listen, out var parsed) && parsed.Port != 0
            ? parsed
            : throw CliException.Usage($"{loaded.Label("Listen")} '{s.Listen}' is not IP:PORT (e.g. 127.0.0.1:8443).");
        RequireFreeAddress(endpoint);
        Uri? upstreamUri = null;
        if (s.Upstream is { } upstreamText
            && (!Uri.TryCreate(upstreamText, UriKind.Absolute, out upstreamUri) || upstreamUri.Scheme is not ("http" or "https")))
        {
            throw CliException.Usage($"{loaded.Label("Upstream")} '{upstreamText}' is not an http(s) URL.");
        }

        var routes = ParseRoutes(s.Route);
        var sessionLifetime = s.ScramSessionMinutes is var minutes and >= 0 and <= 24 * 60
            ? TimeSpan.FromMinutes(minutes)
            : throw CliException.Usage($"{loaded.Label("ScramSessionMinutes")} must be between 0 and 1440.");
        var webAuthnPolicy = WebAuthnCommand.Policy(s.WebAuthnOrigin, s.WebAuthnRpId, endpoint, loaded);
        var rules = BuildRules(s.AllowCn, s.AllowOu, s.AllowDns, s.AllowUri);
        await using var shared = await SharedStore.OpenAsync(s.Store, folder, cancellationToken);
        var ca = new LocalCertificateAuthority(folder, TimeProvider.System, shared.Certificates()) { TokenKeyOpener = CaTokenKeys.OpenUnattended };
        if (shared.Postgres is { } database && (File.Exists(folder.IntermediateKeyPath) || File.Exists(folder.IntermediateKeyUriPath)) && !await ca.IsInitializedAsync(cancellationToken))
        {
            // Never let a node create a second CA over the key files of the one it was given.
            throw CliException.Usage($"the data folder '{folder.Root}' holds a CA but the store {database.Description} has none: initialise the store from an empty data folder and copy that folder to every node.");
        }
        var certPath = s.Cert;
        if (!IdentityHeaders.IsValidPrefix(s.IdentityHeaderPrefix))
        {
            throw CliException.Usage($"{loaded.Label("IdentityHeaderPrefix")} '{s.IdentityHeaderPrefix}' is not valid (letters, digits and '-', at most 64).");
        }

        if (certPath is null && s.Key is not null)
        {
            throw CliException.Usage("--key needs --cert.");
        }

        if (certPath is null)
        {
            foreach (var line in await FirstRun.EnsureAsync(ca, s.Identity, cancellationToken))
            {
                Console.WriteLine("Created " + line);
            }
        }
        else if (s.Key is null)
        {
            throw CliException.Usage("--cert needs --key.");
        }

        if (DataFolderPermissions.Problems(folder) is { Count: > 0 } tooOpen)
        {
            // As ssh with its keys: keys others could read, or files others could replace, are not used.
            throw CliException.Usage("the data folder is open to other users, so serve does not start:\n  " + string.Join("\n  ", tooOpen));
        }

        var level = Enum.Parse<LogLevel>(s.LogLevel, ignoreCase: true);
        void ConfigureLogging(ILoggingBuilder logging) => ServeCommand.ConfigureLogging(logging, level);
        using var loggerFactory = LoggerFactory.Create(ConfigureLogging);
        var identityFiles = certPath is null ? CaIssueCommand.IdentityFor(folder, s.Identity) : null;
        // A token key is opened once (PIN checked before listening) and held for the life of the process.
        using var tokenKey = certPath is not null && MutualAuth.Keys.Pkcs11.Pkcs11Uri.IsPkcs11Uri(s.Key) ? TokenPins.OpenKey(s.Key!, s.Module, s.PinFile, s.PinEnv) : null;
        var certificateSource = tokenKey is not null
            ? new FileServerCertificateSource(certPath!, tokenKey, TimeProvider.System, loggerFactory.CreateLogger("MutualAuth.Certificate"))
            : new FileServerCertificateSource(identityFiles?.ChainPath ?? certPath!, identityFiles?.KeyPath ?? s.Key!,
                TimeProvider.System, loggerFactory.CreateLogger("MutualAuth.Certificate"));
        var anchors = new List<string>();
        var intermediates = new List<string>();
        var crls = new List<string>();
        var caInitialized = await ca.IsInitializedAsync(cancellationToken);
        if (caInitialized)
        {
            anchors.Add(folder.RootCertificatePath);
            intermediates.Add(folder.IntermediateCertificatePath);
            crls.Add(folder.CrlPath);
            await ca.RefreshCrlAsync(cancellationToken);
        }

        anchors.AddRange(s.Trust);
        crls.AddRange(s.Crl);
        if (anchors.Count == 0)
        {
            throw CliException.Usage("no trust anchors: initialise the data folder's CA or give --trust FILE.");
        }

        var template = new TrustPolicy
        {
            TrustAnchors = [],
            Purpose = CertificatePurpose.ClientAuthentication,
            Revocation = s.Revocation switch { "none" => RevocationMode.None, "chain" => RevocationMode.EntireChain, _ => RevocationMode.EndEntity },
            RequireCrl = !s.AllowMissingCrl,
            UseSystemTrustStore = s.TrustSystemRoots,
            AllowRules = rules,
        };
        var trustSource = new FileTrustPolicySource(anchors, intermediates, crls, template, TimeProvider.System, loggerFactory.CreateLogger("MutualAuth.Trust"));
        var signatureKeys = new LocalSignatureKeys(folder, TimeProvider.System, shared.Keys());
        // With a shared database, audit events it cannot take wait in a spool in the data folder (docs/operations.md).
        var availability = shared.Postgres?.Availability;
        using var availabilityProbe = shared.Postgres?.MonitorAvailability(TimeSpan.FromSeconds(1));
        await using var spooledAudit = shared.Postgres is null ? null
            : new SpooledAuditStore(shared.Audit(s.NodeName), Path.Combine(folder.Root, "audit-spool.jsonl"), availability!, loggerFactory.CreateLogger<SpooledAuditStore>());
        var auditStore = (IAuditStore?)spooledAudit ?? shared.Audit(s.NodeName);
        await using var queuedAudit = s.AuditSync ? null : new QueuedAuditStore(auditStore, loggerFactory.CreateLogger<QueuedAuditStore>());
        // Decision (issue 17, measured in docs/benchmarks.md): one node keeps signature nonces and DPoP/assertion jtis
        // in memory, written behind to SQLite and reloaded at start-up; a crash forgets at most the last flush interval
        // (docs/operations.md). Several nodes (--store) always insert into PostgreSQL before accepting, and --replay-sync
        // restores the synchronous SQLite insert. Declared before the app, so disposed after it: a normal stop writes all.
        await using var writeBehindReplay = shared.Postgres is null && !s.ReplaySync ? shared.WriteBehindReplayCache(loggerFactory.CreateLogger("MutualAuth.Storage")) : null;
        var options = new GatewayOptions
        {
            Listen = endpoint,
            ServerCertificateSource = certificateSource.Current,
            TrustPolicy = trustSource.Current,
            CrlPath = caInitialized ? folder.CrlPath : null,
            Renew = caInitialized ? async (current, key, cancel) => { using var issued = await ca.RenewAsync(current, key, cancel); return issued?.ChainPem; } : null,
            Upstream = upstreamUri,
            IdentityHeaderPrefix = s.IdentityHeaderPrefix,
            AuditStore = (IAuditStore?)queuedAudit ?? auditStore,
            StoreAvailability = availability,
            ScramUsers = shared.Users(),
            ScramServerSecret = DataFolder.ReadOrCreateSecret(folder.ScramSecretPath),
            SharedKeyRing = shared.KeyRing(),
            SignatureClients = async (keyId, cancel) => await signatureKeys.ResolveAsync(keyId, cancel) is { } found ? new SignatureClient(found.Client, found.Key) : null,
            ReplayCache = (Storage.IReplayCache?)writeBehindReplay ?? shared.ReplayCache(),
            ResponseSigningKey = signatureKeys.ServerKey,
            ConfigureWebAuthn = webAuthn =>
            {
                webAuthn.Policy = webAuthnPolicy;
                webAuthn.Credentials = shared.WebAuthnCredentials();
                webAuthn.Challenges = shared.WebAuthnChallenges();
                webAuthn.UserNameKey = DataFolder.ReadOrCreateSecret(folder.WebAuthnUserNameSecretPath);
            },
            ConfigureScram = scram =>
            {
                scram.RequireChannelBinding = s.ScramRequireChannelBinding;
                scram.SessionLifetime = sessionLifetime;
                scram.ExchangeStore = shared.ScramExchanges();
            },
        };
        foreach (var parsedRoute in routes)
        {
            options.Routes.Add(parsedRoute);
        }

        var (tokenIssuers, tokenIssuerHttp) = TokenIssuers.Create(s.TokenIssuer, s.TokenIssuerCa, s.TokenIssuerPin, loggerFactory.CreateLogger("MutualAuth.Token"));
        using var disposeIssuerHttp = tokenIssuerHttp;
        if (routes.Any(r => r.Alternatives.Any(a => a.Contains(AuthenticationMethods.Token))))
        {
            options.TokenServer = TokenServer(folder, shared.TokenSigningKeys(), shared.Clients(), PublicUrl(loaded, endpoint), options.ReplayCache, [.. tokenIssuers.Select(i => i.AsTrustedIssuer())]);
        }
        else if (tokenIssuers.Count > 0)
        {
            throw CliException.Usage("--token-issuer needs a route with method token, e.g. --route /api=token.");
        }

        await using var app = MutualAuthGateway.Build(options, ConfigureLogging);
        var maintenanceLog = loggerFactory.CreateLogger("MutualAuth.Maintenance");
        await using var crlFollower = caInitialized ? new CrlFollower(ca, trustSource, shared.Postgres, maintenanceLog) : null;
        async Task MaintainAsync()
        {
            try
            {
                await crlFollower!.RefreshAsync(CancellationToken.None);
                if (identityFiles is not null)
                {
                    await ServerRenewal.RenewIfDueAsync(ca, identityFiles, certificateSource.Certificate, maintenanceLog);
                }
            }
            catch (StoreException e)
            {
                ServerRenewal.LogMaintenanceFailed(maintenanceLog, e.Message);
            }
        }

        if (caInitialized)
        {
            await MaintainAsync();
        }

        using var maintenance = caInitialized ? new Timer(_ => _ = MaintainAsync(), null, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)) : null;
        using var reloadOnHangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            certificateSource.Reload();
            trustSource.Reload();
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (ExceptionChain.Find<SocketException>(e) is { SocketErrorCode: SocketError.AddressAlreadyInUse })
        {
            throw CliException.Store($"cannot listen on {endpoint}: address already in use (another serve, or give --listen ADDRESS:PORT).", e);
        }

        PrintBanner(folder, endpoint, rules, upstreamUri, routes);
        if (routes.Any(r => r.Uses(AuthenticationMethods.WebAuthn)))
        {
            Console.WriteLine($"  passkey page: {webAuthnPolicy.Origin}/webauthn/ (enrolment links: '{SelfCommand.Prefix} webauthn invite USER{SelfCommand.DataDirFlag(folder)}')");
        }

        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Success;
    }

    // The authorization server of 'token' routes: clients from 'mutualauth client add' and signing keys from the store
    // (the data folder's files for one node, the shared database with --store).
    private static Gateway.Tokens.TokenServerOptions TokenServer(DataFolder folder, Func<Tokens.TokenSigningKeys> signingKeys, Storage.IOAuthClientStore clients, Uri issuer, Storage.IReplayCache replayCache, IReadOnlyList<Tokens.TrustedIssuer> externalIssuers)
    {
        signingKeys(); // the first key now: a store that cannot be read fails the start, not the first token request
        return new Gateway.Tokens.TokenServerOptions
        {
            Issuer = issuer,
            Clients = async (id, cancellationToken) => await clients.FindAsync(id, cancellationToken) is { } found ? Tokens.ClientRegistrations.From(found, TimeProvider.System.GetUtcNow()) : null,
            SigningKeys = signingKeys,
            ReplayCache = replayCache,
            ExternalIssuers = externalIssuers,
            // Stays in the data folder with --store too: a static secret (no rotation to coordinate), copied to every node
            // with the data folder like the secret box key that seals the shared keys; storing it sealed by that same box
            // would add a database read and no protection. A node with another copy makes its own nonces refused elsewhere.
            NonceSecret = DataFolder.ReadOrCreateSecret(Path.Combine(folder.Root, "oauth", "dpop-nonce.secret")),
        };
    }

    private static Uri PublicUrl(LoadedSettings<ServeSettings> loaded, IPEndPoint endpoint)
    {
        var text = loaded.Values.PublicUrl ?? $"https://localhost:{endpoint.Port}";
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == "https" && url.AbsolutePath == "/" && url.Query.Length == 0 && url.UserInfo.Length == 0
            ? url
            : throw CliException.Usage($"{loaded.Label("PublicUrl")} '{text}' is not an https://HOST[:PORT] URL without a path.");
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel level)
    {
        var quiet = level > LogLevel.Warning ? level : LogLevel.Warning; // categories that are chatty below Warning
        logging
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ ";
                o.UseUtcTimestamp = true;
            })
            .SetMinimumLevel(level)
            .AddFilter("Microsoft", quiet)
            .AddFilter("Yarp", level <= LogLevel.Debug ? LogLevel.Information : quiet) // two lines per proxied request, shown at debug
            .AddFilter("MutualAuth.AspNetCore.Scram.ScramAuthenticationHandler", quiet) // ASP.NET's per-request "challenged" lines
            .AddFilter("MutualAuth.AspNetCore.Authentication.MutualTlsHandler", quiet)
            .AddFilter("MutualAuth.AspNetCore.MessageSignatures.HttpSignatureAuthenticationHandler", quiet)
            // "Hosting environment", "Content root path", "Now listening": the banner says what an operator needs; shown at debug.
            .AddFilter("Microsoft.Hosting.Lifetime", level <= LogLevel.Debug ? LogLevel.Information : quiet);
    }

    private static List<GatewayRoute> ParseRoutes(string[] texts)
    {
        try
        {
            var routes = texts.Select(GatewayRoute.Parse).ToList();
            return routes.GroupBy(r => r.PathPrefix, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice
                ? throw CliException.Usage($"--route {twice.Key} is given twice.")
                : routes;
        }
        catch (FormatException e)
        {
            throw CliException.Usage(e.Message, e);
        }
    }

    private static PeerRules BuildRules(string[]? cn, string[]? ou, string[]? dns, string[]? uri)
    {
        var all = (cn ?? []).Concat(ou ?? []).Concat(dns ?? []).Concat(uri ?? []).ToList();
        if (all.Any(string.IsNullOrWhiteSpace) || all.Any(p => p.Length > GlobPattern.MaxLength))
        {
            throw CliException.Usage($"an --allow-* pattern must have 1 to {GlobPattern.MaxLength} characters.");
        }

        if (all.Count > MaxAllowRules)
        {
            throw CliException.Usage($"at most {MaxAllowRules} --allow-* rules are accepted; use globs to group names.");
        }

        var rules = new PeerRules();
        foreach (var glob in cn ?? [])
        {
            rules.AllowCommonName(glob);
        }

        foreach (var glob in ou ?? [])
        {
            rules.AllowOrganizationalUnit(glob);
        }

        foreach (var glob in dns ?? [])
        {
            rules.AllowDnsName(glob);
        }

        foreach (var glob in uri ?? [])
        {
            rules.AllowUri(glob);
        }

        return rules;
    }

    /// <summary>Refuses an address another process listens on before anything starts, so the error is one line, not Kestrel's logged stack trace.</summary>
    private static void RequireFreeAddress(IPEndPoint endpoint)
    {
        using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw CliException.Store($"cannot listen on {endpoint}: address already in use (another serve, or give --listen ADDRESS:PORT).", e);
        }
        catch (SocketException)
        {
            // Anything else (e.g. an address not on this host) is Kestrel's to report.
        }
    }

    private static void PrintBanner(DataFolder folder, IPEndPoint endpoint, PeerRules rules, Uri? upstream, List<GatewayRoute> routes)
    {
        var host = endpoint.Address.Equals(IPAddress.Loopback) || endpoint.Address.Equals(IPAddress.Any) ? "localhost"
            : endpoint.Address.Equals(IPAddress.IPv6Loopback) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "localhost"
            : endpoint.Address.ToString();
        var url = $"https://{host}:{endpoint.Port}/whoami";
        var certificateAlways = routes.All(r => r.Alternatives.All(a => a.Contains(AuthenticationMethods.MutualTls)));
        Console.WriteLine($"mutualauth serve: listening on https://{endpoint} (TLS 1.2/1.3, client certificate {(certificateAlways ? "required" : "required except where --route allows another method")})");
        Console.WriteLine($"  allowed clients: {rules}");
        foreach (var route in routes)
        {
            Console.WriteLine($"  route {route}");
        }

        if (upstream is not null)
        {
            Console.WriteLine($"  upstream: {upstream.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped)}");
        }

        var client = folder.Identity(FirstRun.ClientIdentity);
        if (client.Exists)
        {
            Console.WriteLine("Call it with:");
            Console.WriteLine($"  curl --cert {client.ChainPath} --key {client.KeyPath} --cacert {folder.RootCertificatePath} {url}");
            Console.WriteLine($"  {SelfCommand.Prefix} call {url}" + SelfCommand.DataDirFlag(folder));
        }

        // The other methods, with commands that work against the routes this server really has.
        var missing = new List<string>();
        foreach (var (method, flag, create) in new[]
        {
            (AuthenticationMethods.Scram, "--user NAME", "user add NAME"),
            (AuthenticationMethods.HttpSignature, "--key-id NAME", "key create --client NAME"),
        })
        {
            var alone = routes.FirstOrDefault(r => r.Alternatives.Any(a => a.Count == 1 && a[0] == method));
            if (alone is null)
            {
                missing.Add(method);
                continue;
            }

            var path = alone.PathPrefix is "/" or "/whoami" ? "/whoami" : alone.PathPrefix;
            Console.WriteLine($"  {SelfCommand.Prefix} call https://{host}:{endpoint.Port}{path} {flag}{SelfCommand.DataDirFlag(folder)}   (after '{SelfCommand.Prefix} {create}{SelfCommand.DataDirFlag(folder)}')");
        }

        if (missing.Count > 0)
        {
            Console.WriteLine($"  No route accepts {string.Join(" or ", missing)} alone; to allow it, start with e.g. --route /={string.Join(',', [AuthenticationMethods.MutualTls, .. missing])}");
        }

        Console.Out.Flush();
    }
}
