using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MutualAuth.Scram;

/// <summary>
/// The I/O-free server side of a SCRAM exchange (RFC 5802): client-first gives server-first, client-final gives
/// server-final, whose ServerSignature proves the server knows the verifier.
/// </summary>
public sealed class ScramServer
{
    private readonly ScramMechanism _mechanism;
    private readonly Func<string, ScramCredential?> _findCredential;
    private readonly byte[] _serverSecret;
    private readonly ScramChannelBinding? _binding;
    private readonly string _serverNonce;
    private string _gs2Header = "";
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";
    private ScramCredential? _credential;
    private State _state;

    /// <summary>Prepares an exchange.</summary>
    /// <param name="mechanism">The mechanism negotiated.</param>
    /// <param name="findCredential">Finds the verifier of a user name, or returns null.</param>
    /// <param name="serverSecret">A stable secret (at least 16 bytes) for the fake salts of unknown users.</param>
    /// <param name="channelBinding">The TLS channel binding when the connection has one; its presence means -PLUS is offered.</param>
    /// <param name="serverNonce">For test vectors only; a random nonce otherwise.</param>
    public ScramServer(ScramMechanism mechanism, Func<string, ScramCredential?> findCredential, byte[] serverSecret, ScramChannelBinding? channelBinding = null, string? serverNonce = null)
    {
        _mechanism = mechanism ?? throw new ArgumentNullException(nameof(mechanism));
        _findCredential = findCredential ?? throw new ArgumentNullException(nameof(findCredential));
        ArgumentNullException.ThrowIfNull(serverSecret);
        ArgumentOutOfRangeException.ThrowIfLessThan(serverSecret.Length, 16);
        _serverSecret = serverSecret;
        _binding = channelBinding;
        _serverNonce = serverNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    }

    private enum State
    {
        Initial,
        ServerFirstSent,
        Authenticated,
        Failed,
    }

    /// <summary>The authenticated (or claimed) user name, in its SASLprep (RFC 4013) form.</summary>
    public string? UserName { get; private set; }

    /// <summary>Whether the client proved knowledge of the password.</summary>
    public bool IsAuthenticated => _state == State.Authenticated;

    /// <summary>The <c>e=</c> message for an error, to send to the client (RFC 5802 §7).</summary>
    public static string ErrorMessage(ScramError error) => "e=" + error.ToReasonCode().Value;

    /// <summary>Reads client-first and answers server-first.</summary>
    /// <exception cref="ScramException">Malformed message, mandatory extension, channel-binding mismatch or downgrade, or a
    /// user name SASLprep refuses (<see cref="ScramError.UnsupportedCharacters"/>, <c>e=invalid-username-encoding</c>).</exception>
    public string HandleClientFirst(string clientFirst)
    {
        ArgumentNullException.ThrowIfNull(clientFirst);
        Expect(State.Initial);
        var parts = clientFirst.Split(',', 3);
        if (parts.Length != 3 || parts[1].Length != 0)
        {
            Fail(ScramError.InvalidEncoding, "client-first must start with a GS2 header without authzid.");
        }

        CheckChannelBindingFlag(parts[0]);
        _gs2Header = parts[0] + ",,";
        _clientFirstBare = parts[2];
        var attributes = ScramText.Attributes(_clientFirstBare);
        if (attributes[0].Name == 'm')
        {
            Fail(ScramError.ExtensionsNotSupported, "The client sent a mandatory extension.");
        }

        if (attributes.Count < 2 || attributes[0].Name != 'n' || attributes[1].Name != 'r' || !ScramText.IsPrintableNonce(attributes[1].Value))
        {
            Fail(ScramError.InvalidEncoding, "client-first-bare must be n=…,r=….");
        }

        if (!ScramCredential.TryPrepareUserName(ScramText.UnescapeName(attributes[0].Value), out var userName))
        {
            Fail(ScramError.UnsupportedCharacters, "The user name is refused by SASLprep (RFC 4013) or longer than 255 characters.");
        }

        UserName = userName;
        _credential = _findCredential(UserName) is { } found && found.Mechanism.Hash == _mechanism.Hash ? found : null;
        // An unknown user gets an indistinguishable exchange: a salt derived from the name and the server secret (stable
        // across attempts), the same iteration count and work, and the same invalid-proof failure.
        var salt = _credential?.Salt ?? CryptographicOperations.HmacData(HashAlgorithmName.SHA256, _serverSecret, Encoding.UTF8.GetBytes($"scram-salt:{_mechanism.Hash.Name}:{UserName}"))[..16];
        var iterations = _credential?.Iterations ?? ScramCredential.MinIterations;
        _nonce = attributes[1].Value + _serverNonce;
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(salt)},i={iterations.ToString(CultureInfo.InvariantCulture)}";
        _state = State.ServerFirstSent;
        return _serverFirst;
    }

    /// <summary>Checks client-final's channel binding, nonce and ClientProof, and answers server-final (<c>v=…</c>).</summary>
    /// <exception cref="ScramException">Bad proof (also for unknown users), nonce or channel binding.</exception>
    public string HandleClientFinal(string clientFinal)
    {
        ArgumentNullException.ThrowIfNull(clientFinal);
        Expect(State.ServerFirstSent);
        var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        var attributes = ScramText.Attributes(clientFinal);
        if (proofAt < 0 || attributes.Count < 3 || attributes[0].Name != 'c' || attributes[1].Name != 'r' || attributes[^1].Name != 'p')
        {
            Fail(ScramError.InvalidEncoding, "client-final must be c=…,r=…,p=….");
        }

        var expectedBinding = Encoding.UTF8.GetBytes(_gs2Header).Concat(_mechanism.UsesChannelBinding ? _binding!.Data : []).ToArray();
        if (!CryptographicOperations.FixedTimeEquals(ScramText.Base64(attributes[0].Value, "channel binding"), expectedBinding))
        {
            Fail(ScramError.ChannelBindingMismatch, "The channel binding does not match this connection.");
        }

        if (!string.Equals(attributes[1].Value, _nonce, StringComparison.Ordinal))
        {
            Fail(ScramError.NonceMismatch, "client-final's nonce is not the combined nonce.");
        }

        var proof = ScramText.Base64(attributes[^1].Value, "proof");
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{clientFinal[..proofAt]}");
        var credential = _credential ?? UnknownUser();
        var clientSignature = _mechanism.Hmac(credential.StoredKey, authMessage);
        var clientKey = new byte[clientSignature.Length];
        for (var i = 0; i < clientKey.Length && i < proof.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        var valid = CryptographicOperations.FixedTimeEquals(_mechanism.H(clientKey), credential.StoredKey) && proof.Length == clientSignature.Length && _credential is not null;
        CryptographicOperations.ZeroMemory(clientKey);
        if (!valid)
        {
            Fail(ScramError.InvalidProof, "The client proof does not verify.");
        }

        _state = State.Authenticated;
        return "v=" + Convert.ToBase64String(_mechanism.Hmac(credential.ServerKey, authMessage));
    }

    private ScramCredential UnknownUser() =>
        new(_mechanism, [], ScramCredential.MinIterations, RandomNumberGenerator.GetBytes(_mechanism.HashSize), RandomNumberGenerator.GetBytes(_mechanism.HashSize));

    private void CheckChannelBindingFlag(string flag)
    {
        if (_mechanism.UsesChannelBinding)
        {
            if (_binding is null || flag != "p=" + _binding.Type)
            {
                Fail(ScramError.ChannelBindingMismatch, $"{_mechanism.Name} needs channel binding of type {_binding?.Type ?? "(none available)"}.");
            }
        }
        else if (flag.StartsWith("p=", StringComparison.Ordinal))
        {
            Fail(ScramError.ChannelBindingMismatch, "Channel binding was requested with a mechanism without -PLUS.");
        }
        else if (flag == "y" && _binding is not null)
        {
            // The client supports binding and believes the server does not, while this server offers -PLUS: a downgrade (RFC 5802 §6).
            Fail(ScramError.ChannelBindingMismatch, "The client was led to believe channel binding is not offered (downgrade).");
        }
        else if (flag is not ("n" or "y"))
        {
            Fail(ScramError.InvalidEncoding, "Unknown GS2 channel-binding flag.");
        }
    }

    [DoesNotReturn]
    private void Fail(ScramError error, string message)
    {
        _state = State.Failed;
        throw new ScramException(error, message);
    }

    private void Expect(State state)
    {
        if (_state != state)
        {
            throw new ScramException(ScramError.InvalidState, $"Called in state {_state}, expected {state}.");
        }
    }
}
