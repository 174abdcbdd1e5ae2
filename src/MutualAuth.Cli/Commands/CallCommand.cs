using System.CommandLine;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Cli.Settings;
using MutualAuth.Http;
using MutualAuth.Authentication;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth call URL</c>: a client that authenticates and verifies the server before sending the request.</summary>
internal static class CallCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The https URL to call." };
        var identity = new Option<string?>("--identity") { Description = $"Client identity from the data folder (default: {FirstRun.ClientIdentity}).", HelpName = "NAME" };
        var cert = new Option<string?>("--cert") { Description = "Client certificate PEM (leaf first, then intermediates) instead of --identity.", HelpName = "FILE" };
        var key = new Option<string?>("--key") { Description = "Private key for --cert: a PEM file, or a key on a PKCS#11 token (smart card, HSM) named by its RFC 7512 URI, pkcs11:token=LABEL;object=KEY (with no --cert, the certificate stored beside the key on the token).", HelpName = "FILE|URI" };
        var card = new Option<string?>("--card") { Description = "Use the card enrolled under NAME ('mutualauth card enroll'): its key on the token for TLS, and for RFC 9421 signatures with a credential that holds no key.", HelpName = "NAME" };
        var pinFile = TokenPins.FileOption();
        var pinEnv = TokenPins.EnvironmentOption();
        var module = TokenPins.ModuleOption();
        var ca = new Option<string[]>("--ca") { Description = "Trust anchors for the server, PEM (repeatable; default: the data folder's CA).", HelpName = "FILE" };
        var pin = new Option<string[]>("--pin") { Description = "SPKI pin sha256/BASE64 the server chain must contain, in addition to chain checks (repeatable).", HelpName = "PIN" };
        var name = new Option<string?>("--name") { Description = "Host name the server certificate must carry (default: the URL's host).", HelpName = "HOST" };
        var crl = new Option<string[]>("--crl") { Description = "CRL to check the server certificate against (repeatable).", HelpName = "FILE" };
        var method = new Option<string>("--request", "-X") { Description = "HTTP method.", DefaultValueFactory = _ => "GET", HelpName = "METHOD" };
        var data = new Option<string?>("--data", "-d") { Description = "Request body (sent only after the server is verified); @FILE reads it from a file, as curl does.", HelpName = "DATA" };
        var headers = new Option<string[]>("--header", "-H") { Description = "Extra request header 'Name: value' (repeatable).", HelpName = "HEADER" };
        var include = new Option<bool>("--include", "-i") { Description = "Print the response's status line and headers before its body (to --output when given)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the response body to FILE instead of standard output ('-': standard output). Opened before the request is sent; a new file is removed again when the call fails.", HelpName = "FILE" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "On standard error: the server chain and every check it passed, the TLS protocol and cipher suite, and each request and response line and header as sent and received (authorization, cookies, signatures and SCRAM data hidden)." };
        var resolve = new Option<string[]>("--resolve") { Description = "Connect to ADDR for HOST:PORT instead of resolving HOST, as curl does; the TLS server name (SNI), the Host header and the certificate name check keep HOST (repeatable).", HelpName = "HOST:PORT:ADDR" };
        var user = new Option<string?>("--user", "-u") { Description = "Log in with SCRAM (RFC 7804) as this user; the server must prove it holds the password's verifier. No client certificate is presented unless --identity or --cert is given.", HelpName = "NAME" };
        var binding = new Option<string>("--channel-binding") { Description = "SCRAM channel binding to the server certificate (-PLUS): preferred, required or disabled.", DefaultValueFactory = _ => CallSettings.DefaultChannelBinding, HelpName = "MODE" };
        binding.AcceptOnlyFromAmong(CallSettings.ChannelBindingModes);
        var credential = new Option<string?>("--credential") { Description = "Sign requests with HTTP Message Signatures (RFC 9421) using this credential file from 'mutualauth key create'; the response is refused unless the server signed it: with the key derived from the client's secret for hmac-sha256, else with the server key pinned in the file.", HelpName = "FILE" };
        var privateKey = new Option<string?>("--private-key") { Description = "The client's private key (PEM) for a credential registered with 'key create --public-key', whose file holds no key.", HelpName = "FILE" };
        var keyId = new Option<string?>("--key-id") { Description = "As --credential, with the credential file of this client in the data folder (credentials/NAME.json); the key id 'key create' printed (NAME-xxxxxxxxxxxx) works too.", HelpName = "NAME" };
        var oauthClient = new Option<string?>("--client") { Description = "Authenticate with an OAuth 2.0 access token for this client (route method 'token'): with its credential file from 'mutualauth client add' (credentials/NAME.oauth.json), private_key_jwt and a DPoP-bound token; without one, the client certificate (tls_client_auth) and a certificate-bound token.", HelpName = "NAME" };
        var issuer = new Option<string?>("--issuer") { Description = "The authorization server for --client (default: the URL's https://HOST:PORT); its metadata must name exactly this issuer.", HelpName = "URL" };
        var connectTimeout = new Option<int>("--connect-timeout") { Description = $"Seconds to open the connection: TCP connect and TLS handshake with the server's verification (default: {CallSettings.DefaultConnectTimeout}; 0: no limit).", DefaultValueFactory = _ => CallSettings.DefaultConnectTimeout, HelpName = "SECONDS" };
        var maxTime = new Option<int>("--max-time", "-m") { Description = $"Seconds for the whole call, connection, login and response body included (default: {CallSettings.DefaultMaxTime}; 0: no limit).", DefaultValueFactory = _ => CallSettings.DefaultMaxTime, HelpName = "SECONDS" };
        var passwords = new Passwords();
        var command = new Command("call", """
            Call a mutually authenticating server: present a client certificate and verify the server against explicit trust
            anchors, optional SPKI pins and the expected host name during the TLS handshake, before the request is sent.
            With --credential or --key-id, every request is signed (RFC 9421) and the response must carry the server's
            signature over its status, body digest and this request's signature: hmac-sha256 under a key derived from the
            client's secret for an hmac-sha256 credential, the pinned server key for the others.
            With --user, the client logs in with a SCRAM password (from a prompt, --password-file, --password-env or
            --password-stdin; never a flag) and the response is refused unless the server proves it holds the verifier.
            The response body is printed to standard output; every failure ends with one line on standard error.
            Exit codes:
              0  the server was verified and answered 2xx
              1  authentication refused: the server failed verification (response discarded), or refused this client
                 with 401 or 403, or refused a SCRAM login for too many failures (429, with the wait it asks for)
              2  usage or configuration error (flags, settings, files)
              3  I/O: cannot connect, --connect-timeout or --max-time elapsed, --output cannot be written, or any other
                 HTTP status (3xx, 4xx, 5xx; e.g. 404, 413, 500), also when the server refused the request before
                 authenticating it
            """)
        {
            url, identity, cert, key, ca, pin, name, crl, method, data, headers, include, output, verbose, resolve, user, binding, credential, keyId, privateKey, card, pinFile, pinEnv, module, connectTimeout, maxTime,
            oauthClient, issuer,
        };
        passwords.AddTo(command);
        var config = SettingsLoader.ConfigOption();
        command.Options.Add(config);
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            // The one place call reads its authentication options: flags over MUTUALAUTH__Call__… over mutualauth.json.
            var settings = SettingsLoader.Load<CallSettings>(CallSettingsKeys.Section, parseResult, config).Values;
            var target = Uri.TryCreate(parseResult.GetValue(url), UriKind.Absolute, out var parsedUrl) && parsedUrl.Scheme == "https"
                ? parsedUrl
                : throw CliException.Usage($"'{parseResult.GetValue(url)}' is not an https URL.");
            var userName = settings.User;
            if (userName is { Length: 0 })
            {
                throw CliException.Usage("--user cannot be empty.");
            }
            var signing = SignatureCredentialFor(parseResult, settings);
            var folder = GlobalOptions.Folder(parseResult);
            var tokenKey = TokenKeyFor(folder, settings);
            Keys.SigningKey? signatureTokenKey = null;
            if (settings.PrivateKey is { } privateKeyFile)
            {
                signing = signing is null
                    ? throw CliException.Usage("--private-key needs --credential or --key-id.")
                    : Keys.Pkcs11.Pkcs11Uri.IsPkcs11Uri(privateKeyFile) ? signing with { PrivateKey = null, Secret = null }
                    : signing with { PrivateKey = InputFiles.ReadText(privateKeyFile), Secret = null };
                signatureTokenKey = Keys.Pkcs11.Pkcs11Uri.IsPkcs11Uri(privateKeyFile)
                    ? (privateKeyFile == settings.Key && tokenKey is not null ? tokenKey.Key : TokenPins.OpenKey(privateKeyFile, settings.Module, settings.PinFile, settings.PinEnv))
                    : null;
            }
            else if (signing is { PrivateKey: null, Secret: null } && settings.Card is not null)
            {
                // The card signs requests too: one key on the token for TLS and RFC 9421.
                signatureTokenKey = tokenKey?.Key;
            }

            if (settings.ConnectTimeout < 0 || settings.MaxTime < 0)
            {
                throw CliException.Usage("--connect-timeout and --max-time are seconds, 0 for no limit.");
            }

            var tokens = OAuthOptions(GlobalOptions.Folder(parseResult), settings, target);
            var otherMethod = userName is not null || signing is not null || tokens?.ClientKey is not null;
            var options = BuildOptions(parseResult, settings, tokenKey, withCertificate: !otherMethod || settings.Identity is not null || settings.Cert is not null || settings.Card is not null);
            var phase = new CallPhase();
            options.ConnectTimeout = settings.ConnectTimeout == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(settings.ConnectTimeout);
            options.ServerVerified = (_, _) => phase.Now = CallPhase.Waiting;
            var resolved = (parseResult.GetValue(resolve) ?? []).Select(ResolveEntry.Parse).ToList();
            var trace = parseResult.GetValue(verbose) ? new CallTrace(Console.Error, options.ServerTrust!) : null;
            if (resolved.Count > 0 || trace is not null)
            {
                options.ResolveAddresses = endpoint =>
                {
                    var addresses = ResolveEntry.Find(resolved, endpoint);
                    trace?.Connecting(endpoint, addresses);
                    return addresses;
                };
            }

            if (trace is not null)
            {
                options.ServerChainVerified = trace.ServerChainVerified;
                options.TlsEstablished = trace.TlsEstablished;
            }

            using var request = BuildRequest(target, parseResult.GetValue(method)!, parseResult.GetValue(data), parseResult.GetValue(headers) ?? []);
            var scram = userName is null ? null : ScramOptions(userName, passwords.Read(parseResult, $"Password for {userName}: "), settings.ChannelBinding);
            var signatures = signing is null ? null : SignatureOptions(signing, signatureTokenKey);
            await using var destination = CallOutput.Open(parseResult.GetValue(output));
            var handler = MutualAuthHandlers.Create(options, scram, signatures, null, trace);
            using var client = new HttpClient(tokens is null ? handler : new OAuthClientCredentialsHandler(tokens) { InnerHandler = handler })
            {
                // --max-time is the one overall limit (below); HttpClient's own would end the call with an exception of its own.
                Timeout = Timeout.InfiniteTimeSpan,
            };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (settings.MaxTime > 0)
            {
                deadline.CancelAfter(TimeSpan.FromSeconds(settings.MaxTime));
            }

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            }
            catch (Exception e) when (TimedOut(e, deadline, cancellationToken))
            {
                throw TimeoutError(e, target, settings, phase, deadline);
            }
            catch (MutualAuthenticationException e) when (e.RefusedBy == RefusingParty.Server && e.StatusCode is { } status and not (401 or 403 or 429))
            {
                // The server refused the request itself (413, 500…) before authenticating it: an HTTP error, not a refusal of this client.
                throw CliException.Store($"the server answered {status} before authenticating the request: {e.Message}", e);
            }
            catch (MutualAuthenticationException e)
            {
                throw CliException.Refused(RefusalMessage(e, userName) + (e.StatusCode is not null ? "; " + Sent(options, userName, signing) : ""), e);
            }
            catch (HttpRequestException e) when (ExceptionChain.Find<SocketException>(e) is { } socket)
            {
                throw CliException.Store($"cannot connect to {target.Authority}: {socket.Message}", e);
            }
            catch (HttpRequestException e) when ((ExceptionChain.Find<AuthenticationException>(e) is not null || ExceptionChain.Find<IOException>(e) is not null) && phase.Now == CallPhase.Connecting)
            {
                // The server never presented a certificate to verify: no TLS server there (plain HTTP, another protocol), not a refusal.
                throw CliException.Store($"the TLS handshake with {target.Authority} failed before the server presented a certificate ({ExceptionChain.Innermost(e).Message}): is it an https server? A plain-HTTP server or another protocol on this port fails this way.", e);
            }
            catch (HttpRequestException e) when (ExceptionChain.Find<AuthenticationException>(e) is not null || ExceptionChain.Find<IOException>(e) is not null)
            {
                throw CliException.Refused(options.ClientCertificate is { } sent
                    ? $"the server {target.Authority} (verified) closed the TLS connection: it refused this client certificate ({sent.Subject}) ({ExceptionChain.Innermost(e).Message})."
                    : $"the server {target.Authority} (verified) closed the TLS connection, and this call presented no client certificate ({ExceptionChain.Innermost(e).Message}): the route probably needs mtls. --user, --credential and --key-id send none unless --identity NAME or --cert/--key is given; add one, or call a path whose --route accepts this method.", e);
            }

            using (response)
            {
                if (parseResult.GetValue(include))
                {
                    var head = new System.Text.StringBuilder($"HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}\r\n");
                    foreach (var header in response.Headers.Concat(response.Content.Headers))
                    {
                        head.Append(System.Globalization.CultureInfo.InvariantCulture, $"{header.Key}: {string.Join(", ", header.Value)}\r\n");
                    }

                    await destination.WriteAsync(System.Text.Encoding.UTF8.GetBytes(head.Append("\r\n").ToString()), cancellationToken);
                }

                phase.Now = CallPhase.Body;
                byte[] body;
                try
                {
                    body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
                }
                catch (Exception e) when (TimedOut(e, deadline, cancellationToken))
                {
                    throw TimeoutError(e, target, settings, phase, deadline);
                }

                await destination.WriteAsync(body, cancellationToken);
                if (body.Length > 0 && body[^1] != (byte)'\n' && destination.IsTerminal)
                {
                    await destination.WriteAsync("\n"u8.ToArray(), cancellationToken);
                }

                await destination.Stream.FlushAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    var challenges = string.Join(", ", response.Headers.WwwAuthenticate.Select(c => c.Scheme).Distinct(StringComparer.OrdinalIgnoreCase));
                    await Console.Error.WriteLineAsync($"error: the server answered {(int)response.StatusCode} {response.ReasonPhrase}"
                        + (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
                            ? $"; {Sent(options, userName, signing)}" + (challenges.Length > 0 ? $"; it accepts: {challenges}" : "")
                            : ""));
                    return response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
                        ? ExitCodes.AuthenticationRefused
                        : ExitCodes.Store;
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>What this call presented, and what to try when the server wants something else.</summary>
    private static string Sent(MutualTlsClientOptions options, string? userName, SignatureCredential? signing)
    {
        var sent = new List<string>();
        sent.Add(options.ClientCertificate is { } certificate ? $"client certificate {certificate.Subject}" : "no client certificate");
        if (userName is not null)
        {
            sent.Add($"SCRAM login as '{userName}'");
        }

        if (signing is not null)
        {
            sent.Add($"request signed with key '{signing.KeyId}'");
        }

        return "this call sent " + string.Join(", ", sent)
            + (options.ClientCertificate is null ? " (if the route needs mtls, add --identity NAME or --cert/--key)" : "");
    }

    /// <summary>Whether <paramref name="e"/> is --max-time or --connect-timeout elapsing (not the user's Ctrl+C).</summary>
    private static bool TimedOut(Exception e, CancellationTokenSource deadline, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && (e is OperationCanceledException || e is HttpRequestException || e is IOException)
        && (deadline.IsCancellationRequested || ExceptionChain.Find<TimeoutException>(e) is not null);

    /// <summary>The one-line error of a timeout, naming the limit and the phase it ended (exit code 3).</summary>
    private static CliException TimeoutError(Exception e, Uri target, CallSettings settings, CallPhase phase, CancellationTokenSource deadline) =>
        deadline.IsCancellationRequested
            ? CliException.Store($"no complete answer from {target.Authority} within --max-time {settings.MaxTime} s: timed out {phase.Now}.", e)
            : CliException.Store($"timed out {CallPhase.Connecting} to {target.Authority} after --connect-timeout {settings.ConnectTimeout} s.", e);

    /// <summary>Where the call is, for the timeout message; the TLS validation callback moves it on.</summary>
    private sealed class CallPhase
    {
        public const string Connecting = "connecting (TCP connect and TLS handshake)";
        public const string Waiting = "waiting for the response after the server's certificate was verified";
        public const string Body = "reading the response body";
        private string _now = Connecting;

        public string Now
        {
            get => Volatile.Read(ref _now);
            set => Volatile.Write(ref _now, value);
        }
    }

    // --client: private_key_jwt with a fresh DPoP key when the client has a credential file, else its certificate.
    private static OAuthClientCredentialsOptions? OAuthOptions(DataFolder folder, CallSettings settings, Uri target)
    {
        if (settings.Client is not { } client)
        {
            return settings.Issuer is null ? null : throw CliException.Usage("--issuer needs --client.");
        }

        var issuer = settings.Issuer ?? target.GetLeftPart(UriPartial.Authority);
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri) || issuerUri.Scheme != "https")
        {
            throw CliException.Usage($"--issuer '{issuer}' is not an https URL.");
        }

        var path = OAuthClientCredential.PathFor(folder, client);
        if (!File.Exists(path))
        {
            return new OAuthClientCredentialsOptions { Issuer = issuerUri, ClientId = client };
        }

        var credential = OAuthClientCredential.Read(path);
        return new OAuthClientCredentialsOptions
        {
            Issuer = issuerUri,
            ClientId = credential.ClientId,
            // A key on a token (client add --key pkcs11:…) signs the assertions there.
            ClientKey = credential.KeyUri is { } keyUri ? TokenPins.OpenKey(keyUri, settings.Module, settings.PinFile, settings.PinEnv) : Keys.SoftwareSigningKey.FromPem(credential.PrivateKeyPem!),
            ClientKeyId = credential.KeyId,
            DpopKey = Keys.SoftwareSigningKey.Generate(Keys.SigningKeyAlgorithm.EcdsaP256),
        };
    }

    private static SignatureCredential? SignatureCredentialFor(ParseResult parseResult, CallSettings settings)
    {
        var path = settings.Credential;
        if (settings.KeyId is not { } name)
        {
            return path is null ? null : LoadCredential(path);
        }

        if (path is not null)
        {
            throw CliException.Usage("give --credential or --key-id, not both.");
        }

        if (!DataFolder.IsValidIdentityName(name))
        {
            throw CliException.Usage($"--key-id '{name}' is not a valid client name or key id.");
        }

        var folder = GlobalOptions.Folder(parseResult);
        var client = name;
        if (!File.Exists(folder.ClientCredentialPath(name)) && name.LastIndexOf('-') is > 0 and var dash && DataFolder.IsValidIdentityName(name[..dash]))
        {
            client = name[..dash]; // a key id as 'key create' prints it (CLIENT-xxxxxxxxxxxx) rather than the client name
        }

        var found = LoadCredential(folder.ClientCredentialPath(client));
        return client == name || found.KeyId == name
            ? found
            : throw CliException.Usage($"the credential file of '{client}' holds key '{found.KeyId}', not '{name}' (see 'mutualauth key list').");
    }

    private static SignatureCredential LoadCredential(string path)
    {
        try
        {
            return SignatureCredential.Load(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read the credential file: {e.Message}", e);
        }
    }

    private static HttpSignatureClientOptions SignatureOptions(SignatureCredential credential, Keys.SigningKey? tokenKey)
    {
        try
        {
            // An hmac-sha256 client checks responses with the key derived from its secret: the pinned server key is not used.
            var key = tokenKey is not null
                ? MutualAuth.MessageSignatures.HttpSignatureKey.FromSigningKey(tokenKey, MutualAuth.MessageSignatures.HttpSignatureAlgorithms.Parse(credential.Algorithm))
                : credential.ClientKey();
            var symmetric = key.Algorithm == MutualAuth.MessageSignatures.HttpSignatureAlgorithm.HmacSha256;
            var options = new HttpSignatureClientOptions
            {
                KeyId = credential.KeyId,
                Key = key,
                ServerKeyId = symmetric ? null : credential.ServerKeyId,
                ServerKey = symmetric ? null : credential.ServerKey(),
            };
            options.Validate();
            return options;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or System.Security.Cryptography.CryptographicException or MutualAuth.MessageSignatures.MessageSignatureException)
        {
            throw CliException.Usage($"the credential file is not usable: {e.Message}", e);
        }
    }

    private static ScramClientOptions ScramOptions(string userName, string password, string binding) => new()
    {
        UserName = userName,
        Password = () => password,
        ChannelBinding = binding switch { "required" => ChannelBindingPolicy.Required, "disabled" => ChannelBindingPolicy.Disabled, _ => ChannelBindingPolicy.Preferred },
    };

    /// <summary>The one-line error for a refusal, by method and by which side refused.</summary>
    private static string RefusalMessage(MutualAuthenticationException e, string? userName) => e.Method switch
    {
        AuthenticationMethods.Scram when e.RefusedBy == RefusingParty.Server => $"the server refused the login of '{userName}': {e.Message}",
        AuthenticationMethods.Scram => $"SCRAM login not completed, response discarded: {e.Message}",
        AuthenticationMethods.HttpSignature => $"{(e.RefusedBy == RefusingParty.Server ? "the server refused the request" : "server signature check failed, response discarded")}: {e.Message} [{e.Reason}]",
        AuthenticationMethods.Token => $"{(e.RefusedBy == RefusingParty.Server ? "the authorization server refused this client" : "the authorization server failed verification")}, request not sent: {e.Message} [{e.Reason}]",
        _ => $"server verification failed, request not sent: {e.Message}",
    };

    /// <summary>The token key of <c>--card</c> or <c>--key pkcs11:…</c>, opened (PIN checked) before anything is sent; else null.</summary>
    private static TokenKey? TokenKeyFor(MutualAuth.Storage.Sqlite.DataFolder folder, CallSettings settings)
    {
        if (settings.Card is { } cardName)
        {
            if (settings.Cert is not null || settings.Key is not null || settings.Identity is not null)
            {
                throw CliException.Usage("--card is a client identity: give it without --identity, --cert or --key.");
            }

            var card = Cards.Load(folder, cardName);
            var chain = InputFiles.Certificates(Cards.ChainPath(folder, cardName));
            return new TokenKey(TokenPins.OpenKey(card.Uri, settings.Module ?? card.Module, settings.PinFile, settings.PinEnv), chain);
        }

        if (!Keys.Pkcs11.Pkcs11Uri.IsPkcs11Uri(settings.Key))
        {
            return null;
        }

        var key = TokenPins.OpenKey(settings.Key!, settings.Module, settings.PinFile, settings.PinEnv);
        if (settings.Cert is { } certPath)
        {
            return new TokenKey(key, InputFiles.Certificates(certPath));
        }

        X509Certificate2? onToken;
        try
        {
            onToken = key.FindCertificate();
        }
        catch (Keys.Pkcs11.TokenException e)
        {
            throw TokenPins.Error(e);
        }

        return onToken is null
            ? throw CliException.Usage($"no certificate beside {key.Uri} on the token: give --cert FILE.")
            : new TokenKey(key, new X509Certificate2Collection(onToken));
    }

    /// <summary>A key on a token and the certificate chain (leaf first) it is used with.</summary>
    private sealed record TokenKey(Keys.Pkcs11.TokenSigningKey Key, X509Certificate2Collection Chain);

    private static MutualTlsClientOptions BuildOptions(ParseResult parseResult, CallSettings settings, TokenKey? tokenKey, bool withCertificate)
    {
        var folder = GlobalOptions.Folder(parseResult);
        string certPath = "", keyPath = "";
        if (settings.Cert is null && settings.Key is not null && tokenKey is null)
        {
            throw CliException.Usage("--key needs --cert.");
        }

        if (!withCertificate || tokenKey is not null)
        {
            // SCRAM only: no client certificate; or a token key, attached below.
        }
        else if (settings.Cert is { } explicitCert)
        {
            certPath = explicitCert;
            keyPath = settings.Key ?? throw CliException.Usage("--cert needs --key.");
        }
        else
        {
            var files = CaIssueCommand.IdentityFor(folder, settings.Identity ?? FirstRun.ClientIdentity);
            if (!files.Exists)
            {
                throw CliException.Usage($"no client identity '{files.Name}' in {folder.Root}; give --identity NAME or --cert/--key.");
            }

            certPath = files.ChainPath;
            keyPath = files.KeyPath;
        }

        var anchorFiles = settings.Ca is { Length: > 0 } given ? given
            : File.Exists(folder.RootCertificatePath) ? [folder.RootCertificatePath]
            : throw CliException.Usage("no trust anchor for the server: give --ca FILE (pins add to chain checks, they do not replace them).");
        var anchors = new X509Certificate2Collection();
        foreach (var file in anchorFiles)
        {
            anchors.AddRange(InputFiles.Certificates(file));
        }

        var pins = settings.Pin.Select(text =>
        {
            try
            {
                return SpkiPin.Parse(text);
            }
            catch (FormatException e)
            {
                throw CliException.Usage(e.Message, e);
            }
        }).ToList();
        var crls = settings.Crl.Select(AspNetCore.TrustMaterial.FileTrustPolicySource.ReadCrl).ToList();
        var clientCertificate = tokenKey is not null ? InputFiles.CertificateWithTokenKey(tokenKey.Chain[0], tokenKey.Key)
            : withCertificate ? InputFiles.CertificateWithKey(certPath, keyPath) : null;
        if (clientCertificate is not null)
        {
            InputFiles.RequireExtendedKeyUsage(clientCertificate, Oids.ClientAuth, "clientAuth", "client");
        }

        var options = new MutualTlsClientOptions
        {
            ClientCertificate = clientCertificate,
            ServerTrust = new TrustPolicy
            {
                TrustAnchors = anchors,
                Purpose = CertificatePurpose.ServerAuthentication,
                Pins = pins,
                Crls = crls,
                Revocation = crls.Count > 0 ? RevocationMode.EndEntity : RevocationMode.None,
            },
            ExpectedServerName = settings.Name,
        };
        if (clientCertificate is not null)
        {
            options.ClientCertificateChain.AddRange((tokenKey?.Chain ?? InputFiles.Certificates(certPath)).Skip(1).ToArray());
        }

        return options;
    }

    private static HttpRequestMessage BuildRequest(Uri target, string method, string? body, string[] headers)
    {
        if (method.Length is 0 or > 32 || !method.All(char.IsAsciiLetterUpper) && !method.All(char.IsAsciiLetter))
        {
            throw CliException.Usage($"'{method}' is not an HTTP method.");
        }

        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), target);
        if (body is not null)
        {
            request.Content = body.StartsWith('@') ? new ByteArrayContent(InputFiles.ReadBytes(body[1..], InputFiles.MaxBodyFileSize)) : new StringContent(body);
        }

        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw CliException.Usage($"header '{header}' is not 'Name: value'.");
            }

            var headerName = header[..colon].Trim();
            var value = header[(colon + 1)..].Trim();
            if (!headerName.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)) || value.Any(char.IsControl))
            {
                throw CliException.Usage($"header '{header}' is not a valid 'Name: value'.");
            }

            if (!request.Headers.TryAddWithoutValidation(headerName, value) && request.Content is not null)
            {
                request.Content.Headers.Remove(headerName);
                request.Content.Headers.TryAddWithoutValidation(headerName, value);
            }
        }

        return request;
    }
}
