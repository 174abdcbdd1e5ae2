using System.Buffers.Binary;
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
    private readonly Func<string, ScramCredential?>? _findCredential;
    private readonly byte[] _serverSecret;
    private readonly ScramChannelBinding? _binding;
    private readonly string _serverNonce;
    private readonly ScramCredentialShape[] _shapes;
    private string _gs2Header = "";
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";
    private ScramCredential? _credential;
    private State _state;

    /// <summary>Prepares an exchange whose verifier <see cref="HandleClientFirst"/> looks up with <paramref name="findCredential"/>.</summary>
    /// <param name="mechanism">The mechanism negotiated.</param>
    /// <param name="findCredential">Finds the verifier of a user name, or returns null.</param>
    /// <param name="serverSecret">A stable secret (at least 16 bytes) for the fake salts of unknown users.</param>
    /// <param name="channelBinding">The TLS channel binding when the connection has one; its presence means -PLUS is offered.</param>
    /// <param name="serverNonce">For test vectors only; a random nonce otherwise.</param>
    /// <param name="shapesInUse">
    /// The iteration counts and salt lengths of this mechanism's stored verifiers (<see cref="Storage.IScramUserStore.ShapesAsync"/>):
    /// unknown users get one of them, so that their server-first message looks like a stored user's. Without them, unknown users get
    /// <see cref="ScramCredential.MinIterations"/> and a 16-byte salt, which hides them only while every user has that shape.
    /// </param>
    public ScramServer(ScramMechanism mechanism, Func<string, ScramCredential?> findCredential, byte[] serverSecret, ScramChannelBinding? channelBinding = null, string? serverNonce = null,
        IReadOnlyList<ScramCredentialShape>? shapesInUse = null)
        : this(mechanism, serverSecret, channelBinding, serverNonce, shapesInUse)
    {
        _findCredential = findCredential ?? throw new ArgumentNullException(nameof(findCredential));
    }

    /// <summary>
    /// Prepares an exchange whose caller looks the verifier up itself (from an asynchronous store): <see cref="ReadClientFirst"/>
    /// gives the user name, <see cref="AnswerClientFirst"/> takes the verifier found.
    /// </summary>
    /// <param name="mechanism">The mechanism negotiated.</param>
    /// <param name="serverSecret">A stable secret (at least 16 bytes) for the fake salts of unknown users.</param>
    /// <param name="channelBinding">The TLS channel binding when the connection has one; its presence means -PLUS is offered.</param>
    /// <param name="serverNonce">For test vectors only; a random nonce otherwise.</param>
    /// <param name="shapesInUse">The iteration counts and salt lengths of this mechanism's stored verifiers (see the other constructor).</param>
    public ScramServer(ScramMechanism mechanism, byte[] serverSecret, ScramChannelBinding? channelBinding = null, string? serverNonce = null,
        IReadOnlyList<ScramCredentialShape>? shapesInUse = null)
    {
        _mechanism = mechanism ?? throw new ArgumentNullException(nameof(mechanism));
        ArgumentNullException.ThrowIfNull(serverSecret);
        ArgumentOutOfRangeException.ThrowIfLessThan(serverSecret.Length, 16);
        _serverSecret = serverSecret;
        _binding = channelBinding;
        _serverNonce = serverNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _shapes = [.. (shapesInUse ?? []).Where(s => s is { Count: > 0, SaltLength: > 0, Iterations: >= ScramCredential.MinIterations })
            .OrderBy(s => s.Iterations).ThenBy(s => s.SaltLength)];
    }

    private enum State
    {
        Initial,
        ClientFirstRead,
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

    /// <summary>Reads client-first and answers server-first, looking the verifier up with the constructor's finder.</summary>
    /// <exception cref="ScramException">Malformed message, mandatory extension, channel-binding mismatch or downgrade, or a
    /// user name SASLprep refuses (<see cref="ScramError.UnsupportedCharacters"/>, <c>e=invalid-username-encoding</c>).</exception>
    /// <exception cref="InvalidOperationException">The exchange was created without a finder.</exception>
    public string HandleClientFirst(string clientFirst)
    {
        var findCredential = _findCredential ?? throw new InvalidOperationException("This exchange has no credential finder: use ReadClientFirst and AnswerClientFirst.");
        return AnswerClientFirst(findCredential(ReadClientFirst(clientFirst)));
    }

    /// <summary>Reads client-first and returns the user name (SASLprep form) whose verifier <see cref="AnswerClientFirst"/> needs.</summary>
    /// <exception cref="ScramException">As <see cref="HandleClientFirst"/>.</exception>
    public string ReadClientFirst(string clientFirst)
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
        var attributes = Parse(_clientFirstBare, "nr", null, reservedExtension: true, "client-first-bare");
        if (!ScramText.IsPrintableNonce(attributes[1]))
        {
            Fail(ScramError.InvalidEncoding, "client-first's nonce is not printable.");
        }

        if (!ScramCredential.TryPrepareUserName(ScramText.UnescapeName(attributes[0]), out var userName))
        {
            Fail(ScramError.UnsupportedCharacters, "The user name is refused by SASLprep (RFC 4013) or longer than 255 characters.");
        }

        UserName = userName;
        _nonce = attributes[1] + _serverNonce;
        _state = State.ClientFirstRead;
        return userName;
    }

    /// <summary>Answers server-first with the verifier of <see cref="UserName"/> (<see langword="null"/> when the user is unknown).</summary>
    public string AnswerClientFirst(ScramCredential? credential)
    {
        Expect(State.ClientFirstRead);
        _credential = credential is not null && credential.Mechanism.Hash == _mechanism.Hash ? credential : null;
        // An unknown user gets an indistinguishable exchange: an iteration count and salt length drawn from those of the
        // stored verifiers (weighted by how many have each, chosen by a keyed hash of the name), a salt derived from the name
        // and the server secret (both stable across attempts), the same work, and the same invalid-proof failure.
        var decoy = _credential is null ? DecoyShape(UserName!) : null;
        var salt = _credential?.Salt ?? DecoySalt(UserName!, decoy!.SaltLength);
        var iterations = _credential?.Iterations ?? decoy!.Iterations;
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
        var attributes = Parse(clientFinal, "cr", 'p', reservedExtension: false, "client-final");
        var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        var expectedBinding = Encoding.UTF8.GetBytes(_gs2Header).Concat(_mechanism.UsesChannelBinding ? _binding!.Data : []).ToArray();
        if (!CryptographicOperations.FixedTimeEquals(ScramText.Base64(attributes[0], "channel binding"), expectedBinding))
        {
            Fail(ScramError.ChannelBindingMismatch, "The channel binding does not match this connection.");
        }

        if (!string.Equals(attributes[1], _nonce, StringComparison.Ordinal))
        {
            Fail(ScramError.NonceMismatch, "client-final's nonce is not the combined nonce.");
        }

        var proof = ScramText.Base64(attributes[2], "proof");
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

    /// <summary>What client-final needs once server-first was sent: stored between the round trips (see <see cref="Resume"/>).</summary>
    internal (string Gs2Header, string ClientFirstBare, string ServerFirst) PendingState()
    {
        Expect(State.ServerFirstSent);
        return (_gs2Header, _clientFirstBare, _serverFirst);
    }

    /// <summary>
    /// Continues an exchange from its <see cref="PendingState"/>, possibly on another node and connection, ready for
    /// <see cref="HandleClientFinal"/>. <paramref name="channelBinding"/> is this connection's, so -PLUS binds the
    /// connection that carries the proof; <paramref name="credential"/> is the verifier read again, used only when its
    /// salt and iteration count are the ones server-first announced (else the exchange fails like an unknown user's).
    /// </summary>
    /// <exception cref="ScramException">The GS2 flag does not fit this connection's channel binding.</exception>
    internal static ScramServer Resume(ScramMechanism mechanism, byte[] serverSecret, ScramChannelBinding? channelBinding, string userName, string gs2Header,
        string clientFirstBare, string serverFirst, ScramCredential? credential)
    {
        var server = new ScramServer(mechanism, serverSecret, channelBinding) { UserName = userName };
        if (!gs2Header.EndsWith(",,", StringComparison.Ordinal))
        {
            server.Fail(ScramError.InvalidState, "The stored exchange has no GS2 header.");
        }

        server.CheckChannelBindingFlag(gs2Header[..^2]);
        var attributes = ScramText.Parse(serverFirst, "rsi", null, reservedExtension: false, "server-first");
        server._gs2Header = gs2Header;
        server._clientFirstBare = clientFirstBare;
        server._serverFirst = serverFirst;
        server._nonce = attributes[0];
        server._credential = credential is not null && credential.Mechanism.Hash == mechanism.Hash
            && attributes[1] == Convert.ToBase64String(credential.Salt) && attributes[2] == credential.Iterations.ToString(CultureInfo.InvariantCulture)
            ? credential
            : null;
        server._state = State.ServerFirstSent;
        return server;
    }

    /// <summary>
    /// The shape an unknown user shows: a stored verifier's shape, picked by a keyed hash of the name with the weight of how
    /// many verifiers have it, so every name keeps its shape across attempts and unknown names show shapes as often as users do.
    /// </summary>
    private ScramCredentialShape DecoyShape(string userName)
    {
        var total = _shapes.Sum(s => (long)s.Count);
        if (total == 0)
        {
            return new ScramCredentialShape(ScramCredential.MinIterations, 16, 1);
        }

        var pick = (long)(BinaryPrimitives.ReadUInt64BigEndian(Keyed($"scram-shape:{_mechanism.Hash.Name}:{userName}")) % (ulong)total);
        foreach (var shape in _shapes)
        {
            pick -= shape.Count;
            if (pick < 0)
            {
                return shape;
            }
        }

        return _shapes[^1];
    }

    /// <summary>A stable salt of <paramref name="length"/> bytes for an unknown user (its first 32 bytes are the same for any length).</summary>
    private byte[] DecoySalt(string userName, int length)
    {
        var salt = new byte[length];
        for (int block = 0, at = 0; at < length; block++, at += 32)
        {
            var bytes = Keyed(block == 0 ? $"scram-salt:{_mechanism.Hash.Name}:{userName}" : $"scram-salt:{_mechanism.Hash.Name}:{userName}:{block.ToString(CultureInfo.InvariantCulture)}");
            bytes.AsSpan(0, Math.Min(32, length - at)).CopyTo(salt.AsSpan(at));
        }

        return salt;
    }

    private byte[] Keyed(string label) => CryptographicOperations.HmacData(HashAlgorithmName.SHA256, _serverSecret, Encoding.UTF8.GetBytes(label));

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

    /// <summary>Parses a client message by RFC 5802's grammar (<see cref="ScramText.Parse"/>); a refusal fails the exchange.</summary>
    private string[] Parse(string message, string order, char? last, bool reservedExtension, string what)
    {
        try
        {
            return ScramText.Parse(message, order, last, reservedExtension, what);
        }
        catch (ScramException)
        {
            _state = State.Failed;
            throw;
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
