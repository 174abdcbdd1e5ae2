using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Authentication;
using MutualAuth.Certificates;
using MutualAuth.Scram;

namespace MutualAuth.Cli.Commands;

/// <summary>
/// <c>call -v</c>: on standard error, as curl does (<c>*</c> info, <c>&gt;</c> sent, <c>&lt;</c> received), the server chain and
/// the checks it passed, the TLS protocol and cipher suite, and every request and response line and header as transmitted.
/// </summary>
// Never a secret: Authorization, cookies, signatures and SCRAM data (proofs, server signatures) are shown as [hidden],
// and so is any header whose name suggests a credential. Bodies are not shown.
internal sealed class CallTrace(TextWriter writer, TrustPolicy serverTrust) : DelegatingHandler
{
    public const string Hidden = "[hidden]";

    private readonly Lock _lock = new();
    private List<string>? _pending;

    private static readonly HashSet<string> HiddenFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "Signature", "Authentication-Info", "Proxy-Authentication-Info",
    };

    private static readonly string[] CredentialWords = ["token", "secret", "password", "passwd", "api-key", "apikey", "session"];

    /// <summary>The server chain that passed verification and each check (the validator explains its decision again).</summary>
    public void ServerChainVerified(string? name, X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sent)
    {
        var report = ChainValidator.ExplainAt(leaf, sent, serverTrust with { Purpose = CertificatePurpose.ServerAuthentication }, name, TimeProvider.System.GetUtcNow());
        var lines = new List<string> { $"* Server certificate chain ({sent.Count} sent by the server, ending at a trust anchor):" };
        lines.AddRange(report.Result.ChainSubjects.Select((subject, i) => $"*   {i} {LogText.Escape(subject)}"));
        lines.Add($"* Server checks{(name is null ? "" : $" for '{LogText.Escape(name)}'")}:");
        lines.AddRange(report.Steps.Select(s => $"*   {s.Outcome.ToString().ToLowerInvariant(),-7} {s.Check}: {LogText.Escape(s.Detail)}"));
        Write(lines);
    }

    /// <summary>A new connection, and the addresses <c>--resolve</c> gave for it.</summary>
    public void Connecting(DnsEndPoint endpoint, IReadOnlyList<IPAddress>? resolved) =>
        Write([$"* Connecting to {LogText.Escape(endpoint.Host)}:{endpoint.Port}" + (resolved is null ? "" : $" at {string.Join(", ", resolved)} (--resolve)")]);

    /// <summary>The connection once TLS is up: protocol, cipher suite, and the client certificate sent, if any; then the request waiting for it.</summary>
    public void TlsEstablished(SslStream tls)
    {
        var protocol = tls.SslProtocol switch { SslProtocols.Tls13 => "TLSv1.3", SslProtocols.Tls12 => "TLSv1.2", var other => other.ToString() };
        var client = tls.LocalCertificate is { } local ? $"client certificate {local.Subject} presented" : "no client certificate presented";
        Write([$"* TLS with {LogText.Escape(tls.TargetHostName)} (SNI): {protocol}, cipher suite {tls.NegotiatedCipherSuite}; {client}"]);
        Flush();
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var sent = new List<string> { $"> {request.Method} {uri.PathAndQuery} HTTP/{request.Version}", $"> Host: {request.Headers.Host ?? uri.Authority}" };
        sent.AddRange(Fields(request.Headers.NonValidated.Concat(request.Content?.Headers.NonValidated ?? []).Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)), "> "));
        sent.Add(">");
        // Shown once the connection is up (a new one verifies the server first) or the answer arrives; a request that
        // never left (the server failed verification) is not shown as sent.
        lock (_lock)
        {
            _pending = sent;
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_lock)
            {
                _pending = null;
            }

            throw;
        }

        Flush(sent);
        var received = new List<string> { $"< HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}" };
        received.AddRange(Fields(response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated), "< "));
        received.Add("<");
        Write(received);
        return response;
    }

    private static IEnumerable<string> Fields(IEnumerable<KeyValuePair<string, System.Net.Http.Headers.HeaderStringValues>> fields, string prefix) =>
        fields.SelectMany(field => field.Value.Select(value => $"{prefix}{field.Key}: {LogText.Escape(Shown(field.Key, value))}"));

    /// <summary>The value as shown: secrets replaced by <see cref="Hidden"/>, keeping what names the scheme.</summary>
    internal static string Shown(string name, string value)
    {
        if (HiddenFields.Contains(name) || CredentialWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)))
        {
            // An authorization's scheme (SCRAM-SHA-256, Bearer…) says what was tried and is no secret.
            return name.EndsWith("Authorization", StringComparison.OrdinalIgnoreCase) && value.Split(' ', 2) is [var scheme, _] ? $"{scheme} {Hidden}" : Hidden;
        }

        if (name.Equals("WWW-Authenticate", StringComparison.OrdinalIgnoreCase) && HttpAuthParameters.TryParse(value, out var challenge, out var parameters))
        {
            // A SCRAM challenge carries the exchange (salt, nonces) in data and its session in sid: only the realm is shown.
            return string.Join(' ', [challenge, .. parameters.Select(p => p.Key.Equals(ScramHttp.Realm, StringComparison.OrdinalIgnoreCase) ? $"{p.Key}=\"{p.Value}\"" : $"{p.Key}={Hidden}")]);
        }

        return value;
    }

    /// <summary>Writes the request lines still waiting (all of them, or only <paramref name="only"/>'s), once.</summary>
    private void Flush(List<string>? only = null)
    {
        List<string>? lines;
        lock (_lock)
        {
            lines = only is null || ReferenceEquals(_pending, only) ? _pending : null;
            _pending = null;
        }

        if (lines is not null)
        {
            Write(lines);
        }
    }

    private void Write(IEnumerable<string> lines)
    {
        lock (_lock)
        {
            foreach (var line in lines)
            {
                writer.WriteLine(line);
            }
        }
    }
}
