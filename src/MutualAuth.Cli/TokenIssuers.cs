using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MutualAuth.Certificates;
using MutualAuth.Http;
using MutualAuth.Tokens;

namespace MutualAuth.Cli;

/// <summary>
/// <c>serve --token-issuer URL</c>: external authorization servers whose tokens the <c>token</c> routes accept. Their
/// metadata and JWKS are read over TLS verified against <c>--token-issuer-ca</c> (with any pins in addition) or, without
/// a CA, against <c>--token-issuer-pin</c> alone; never the system roots unless asked, never a URL a token names.
/// </summary>
internal static partial class TokenIssuers
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>One key cache per issuer, sharing one verified HTTP client.</summary>
    /// <exception cref="CliException">An issuer is not an https URL, no CA or pin is given, or a file or pin does not read.</exception>
    public static (IReadOnlyList<ExternalIssuerKeys> Issuers, HttpClient? Http) Create(string[] issuers, string[] caFiles, string[] pinTexts, ILogger logger)
    {
        if (issuers.Length == 0)
        {
            return caFiles.Length + pinTexts.Length == 0 ? ([], null) : throw CliException.Usage("--token-issuer-ca and --token-issuer-pin need --token-issuer URL.");
        }

        foreach (var issuer in issuers)
        {
            if (!Uri.TryCreate(issuer, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
            {
                throw CliException.Usage($"--token-issuer '{issuer}' is not an https URL without query or fragment (RFC 8414 §2).");
            }
        }

        if (issuers.Distinct(StringComparer.Ordinal).Count() != issuers.Length)
        {
            throw CliException.Usage("a --token-issuer is given twice.");
        }

        var pins = pinTexts.Select(text =>
        {
            try
            {
                return SpkiPin.Parse(text);
            }
            catch (FormatException e)
            {
                throw CliException.Usage($"--token-issuer-pin: {e.Message}", e);
            }
        }).ToList();
        var handler = caFiles.Length > 0 ? ChainHandler(caFiles, pins)
            : pins.Count > 0 ? PinHandler(pins)
            : throw CliException.Usage("--token-issuer needs --token-issuer-ca FILE (the CA of the issuer's TLS certificate) or --token-issuer-pin sha256/BASE64 (its key).");
        var http = new HttpClient(handler) { Timeout = ReadTimeout, MaxResponseContentBufferSize = ExternalIssuerKeys.MaxDocumentBytes };
        return ([.. issuers.Select(issuer => new ExternalIssuerKeys(issuer, (url, cancel) => ReadAsync(http, url, logger, cancel), TimeProvider.System)
        {
            ReadFailed = (reason, detail) => LogReadFailed(logger, issuer, reason.Value, detail),
        })], http);
    }

    // The issuer's CA chain checks (host name, serverAuth), pins in addition.
    private static SocketsHttpHandler ChainHandler(string[] caFiles, List<SpkiPin> pins)
    {
        var anchors = new X509Certificate2Collection();
        foreach (var file in caFiles)
        {
            anchors.AddRange(InputFiles.Certificates(file));
        }

        return MutualTlsHttpHandler.Create(new MutualTlsClientOptions
        {
            ServerTrust = new TrustPolicy { TrustAnchors = anchors, Purpose = CertificatePurpose.ServerAuthentication, Pins = pins, Revocation = RevocationMode.None },
            ConnectTimeout = ReadTimeout,
        }, TimeProvider.System);
    }

    // Pins alone: the host name must match and a key the server sent must be pinned; no CA is consulted.
    private static SocketsHttpHandler PinHandler(List<SpkiPin> pins) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = ReadTimeout,
        SslOptions = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                certificate is X509Certificate2 leaf
                && (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0
                && leaf.NotBefore <= DateTime.Now && DateTime.Now <= leaf.NotAfter
                && new[] { leaf }.Concat(chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>() ?? []).Any(c => pins.Contains(SpkiPin.FromCertificate(c))),
        },
    };

    // A 200 answer of at most the size limit (the client refuses a longer body), else null; the reason goes to the log.
    private static async ValueTask<byte[]?> ReadAsync(HttpClient http, Uri url, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
            {
                LogReadRefused(logger, url.ToString(), (int)response.StatusCode, "");
                return null;
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or MutualAuthenticationException)
        {
            LogReadRefused(logger, url.ToString(), 0, ExceptionChain.Innermost(e).Message);
            return null;
        }
    }

    [LoggerMessage(9201, LogLevel.Warning, "Token issuer {Issuer}: keys not read ({ReasonCode}): {Detail}; the keys read before stay in use")]
    private static partial void LogReadFailed(ILogger logger, string issuer, string reasonCode, string detail);

    [LoggerMessage(9202, LogLevel.Information, "Token issuer document {Url} not read (status {Status}) {Detail}")]
    private static partial void LogReadRefused(ILogger logger, string url, int status, string detail);
}
