using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MutualAuth.Scram;

/// <summary>
/// The I/O-free client side of a SCRAM exchange (RFC 5802): client-first, client-final, then a check of server-final
/// that refuses a server that does not prove it holds the user's verifier.
/// </summary>
public sealed class ScramClient
{
    /// <summary>The default ceiling on the server's iteration count (an attacker-controlled cost).</summary>
    public const int DefaultMaxIterations = 1_000_000;

    private readonly ScramMechanism _mechanism;
    private readonly string _password;
    private readonly ScramChannelBinding? _binding;
    private readonly int _maxIterations;
    private readonly string _clientNonce;
    private readonly string _gs2Header;
    private readonly string _clientFirstBare;
    private byte[]? _expectedServerSignature;
    private State _state;

    /// <summary>Prepares an exchange.</summary>
    /// <param name="mechanism">The mechanism; a -PLUS mechanism needs <paramref name="channelBinding"/>.</param>
    /// <param name="userName">The user name, sent in its SASLprep (RFC 4013) form.</param>
    /// <param name="password">The password, hashed in its SASLprep form, or as raw UTF-8 when SASLprep refuses it (as PostgreSQL does).</param>
    /// <param name="channelBinding">
    /// The TLS channel binding: required for -PLUS. With a mechanism without -PLUS it means this client could bind but
    /// the server did not offer -PLUS: the GS2 header then carries <c>y</c> (RFC 5802 §6), so a server that does offer
    /// -PLUS detects the downgrade.
    /// </param>
    /// <param name="maxIterations">Refuse servers that ask for more PBKDF2 iterations than this.</param>
    /// <param name="clientNonce">For test vectors only; a random 24-byte nonce otherwise.</param>
    /// <exception cref="ScramException">A user name SASLprep refuses, an empty password, or -PLUS without channel binding.</exception>
    public ScramClient(ScramMechanism mechanism, string userName, string password, ScramChannelBinding? channelBinding = null,
        int maxIterations = DefaultMaxIterations, string? clientNonce = null)
    {
        _mechanism = mechanism ?? throw new ArgumentNullException(nameof(mechanism));
        _password = password ?? throw new ArgumentNullException(nameof(password));
        CryptographicOperations.ZeroMemory(ScramPassword.Bytes(password));
        if (mechanism.UsesChannelBinding && channelBinding is null)
        {
            throw new ScramException(ScramError.ChannelBindingMismatch, $"{mechanism.Name} needs the TLS channel binding.");
        }

        _binding = mechanism.UsesChannelBinding ? channelBinding : null;
        _maxIterations = maxIterations;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _gs2Header = _binding is not null ? $"p={_binding.Type},," : channelBinding is not null ? "y,," : "n,,";
        _clientFirstBare = $"n={ScramText.EscapeName(ScramText.PrepareName(userName))},r={_clientNonce}";
    }

    private enum State
    {
        Initial,
        ClientFirstSent,
        ClientFinalSent,
        Authenticated,
    }

    /// <summary>Whether the server proved it knows the verifier.</summary>
    public bool IsAuthenticated => _state == State.Authenticated;

    /// <summary>The client-first message, e.g. <c>n,,n=user,r=…</c>.</summary>
    public string CreateClientFirst()
    {
        Expect(State.Initial);
        _state = State.ClientFirstSent;
        return _gs2Header + _clientFirstBare;
    }

    /// <summary>Answers server-first with client-final (channel binding, combined nonce and ClientProof).</summary>
    /// <exception cref="ScramException">The server's message is malformed, its nonce does not extend ours, or its iteration count is out of range.</exception>
    public string CreateClientFinal(string serverFirst)
    {
        ArgumentNullException.ThrowIfNull(serverFirst);
        Expect(State.ClientFirstSent);
        var attributes = ScramText.Attributes(serverFirst);
        if (attributes[0].Name == 'm')
        {
            throw new ScramException(ScramError.ExtensionsNotSupported, "The server sent a mandatory extension.");
        }

        if (attributes[0].Name == 'e')
        {
            throw new ScramException(ScramError.ServerError, "The server refused: " + attributes[0].Value);
        }

        if (attributes.Count < 3 || attributes[0].Name != 'r' || attributes[1].Name != 's' || attributes[2].Name != 'i')
        {
            throw new ScramException(ScramError.InvalidEncoding, "server-first must be r=…,s=…,i=….");
        }

        var nonce = attributes[0].Value;
        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal) || nonce.Length == _clientNonce.Length || !ScramText.IsPrintableNonce(nonce))
        {
            throw new ScramException(ScramError.NonceMismatch, "The server nonce does not extend the client nonce.");
        }

        var salt = ScramText.Base64(attributes[1].Value, "salt");
        if (!int.TryParse(attributes[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < ScramCredential.MinIterations || iterations > _maxIterations || salt.Length == 0)
        {
            throw new ScramException(ScramError.IterationCountOutOfRange, $"The server asked for an iteration count outside {ScramCredential.MinIterations}–{_maxIterations}, or an empty salt.");
        }

        var channelBinding = Encoding.UTF8.GetBytes(_gs2Header).Concat(_binding?.Data ?? []).ToArray();
        var withoutProof = $"c={Convert.ToBase64String(channelBinding)},r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{serverFirst},{withoutProof}");
        var salted = ScramCredential.SaltedPassword(_mechanism, _password, salt, iterations);
        var clientKey = _mechanism.Hmac(salted, "Client Key"u8);
        try
        {
            var clientSignature = _mechanism.Hmac(_mechanism.H(clientKey), authMessage);
            var proof = new byte[clientKey.Length];
            for (var i = 0; i < proof.Length; i++)
            {
                proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
            }

            _expectedServerSignature = _mechanism.Hmac(_mechanism.Hmac(salted, "Server Key"u8), authMessage);
            _state = State.ClientFinalSent;
            return $"{withoutProof},p={Convert.ToBase64String(proof)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(salted);
            CryptographicOperations.ZeroMemory(clientKey);
        }
    }

    /// <summary>Checks server-final's ServerSignature (<c>v=</c>) in constant time.</summary>
    /// <exception cref="ScramException">The server answered <c>e=</c>, or its signature is missing or wrong.</exception>
    public void VerifyServerFinal(string serverFinal)
    {
        ArgumentNullException.ThrowIfNull(serverFinal);
        Expect(State.ClientFinalSent);
        var attributes = ScramText.Attributes(serverFinal);
        if (attributes[0].Name == 'e')
        {
            throw new ScramException(ScramError.ServerError, "The server refused: " + attributes[0].Value);
        }

        if (attributes[0].Name != 'v' || !CryptographicOperations.FixedTimeEquals(ScramText.Base64(attributes[0].Value, "server signature"), _expectedServerSignature))
        {
            throw new ScramException(ScramError.InvalidServerSignature, "The server did not prove that it knows the verifier.");
        }

        CryptographicOperations.ZeroMemory(_expectedServerSignature);
        _state = State.Authenticated;
    }

    private void Expect(State state)
    {
        if (_state != state)
        {
            throw new ScramException(ScramError.InvalidState, $"Called in state {_state}, expected {state}.");
        }
    }
}
