using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace MutualAuth.Keys.Pkcs11;

/// <summary>
/// OpenSSL's pkcs11 engine (libp11), driven directly: one engine per module, given the PIN through its <c>PIN</c>
/// control (never in a URI, so libp11 cannot echo it), never finished while the process runs (its keys need it).
/// </summary>
// .NET's SafeEvpPKeyHandle.OpenPrivateKeyFromEngine takes only a URI, so the PIN would have to be a pin-value in it,
// which libp11 prints to stderr on failure; and without a PIN libp11 prompts, which aborts a process without a TTY.
internal static partial class OpenSslEngine
{
    private const string LibCrypto = "libcrypto.so.3";
    private const int EvpPkeyRsa = 6;
    private const int EvpPkeyEc = 408;

    private static readonly Dictionary<string, IntPtr> Engines = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>Loads the private key <paramref name="engineUri"/> (no PIN in it) as an OpenSSL key: <c>ECDsaOpenSsl</c> or <c>RSAOpenSsl</c>.</summary>
    /// <param name="module">The PKCS#11 module the engine loads (the one the token was logged in through).</param>
    /// <param name="engineUri">The key's URI without a PIN.</param>
    /// <param name="pin">The PIN, UTF-8; the caller clears it.</param>
    /// <exception cref="TokenException">The engine or the key cannot be loaded.</exception>
    public static AsymmetricAlgorithm LoadPrivateKey(string module, string engineUri, ReadOnlySpan<byte> pin)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new TokenException(TokenError.ModuleUnavailable, "token keys need OpenSSL's pkcs11 engine (Linux).");
        }

        lock (Gate)
        {
            var engine = EngineFor(module);
            var pinZ = new byte[pin.Length + 1];
            try
            {
                pin.CopyTo(pinZ);
                ERR_clear_error();
                if (ENGINE_ctrl_cmd_string(engine, "PIN", pinZ, 0) != 1)
                {
                    throw new TokenException(TokenError.Failed, "OpenSSL's pkcs11 engine refused the PIN control.");
                }

                var key = ENGINE_load_private_key(engine, engineUri, IntPtr.Zero, IntPtr.Zero);
                if (key == IntPtr.Zero)
                {
                    throw new TokenException(TokenError.ObjectMissing, $"OpenSSL's pkcs11 engine cannot load the key {engineUri}: {Errors()}");
                }

                using var handle = new SafeEvpPKeyHandle(key, ownsHandle: true);
                return EVP_PKEY_get_base_id(key) switch
                {
                    EvpPkeyEc => new ECDsaOpenSsl(handle),
                    EvpPkeyRsa => new RSAOpenSsl(handle),
                    var other => throw new TokenException(TokenError.Failed, $"the token key {engineUri} is neither EC nor RSA (OpenSSL type {other})."),
                };
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pinZ);
            }
        }
    }

    private static IntPtr EngineFor(string module)
    {
        if (Engines.TryGetValue(module, out var known))
        {
            return known;
        }

        ERR_clear_error();
        var engine = ENGINE_by_id("pkcs11");
        if (engine == IntPtr.Zero)
        {
            throw new TokenException(TokenError.ModuleUnavailable, $"OpenSSL's pkcs11 engine is not installed (Debian: apt-get install libengine-pkcs11-openssl): {Errors()}");
        }

        // QUIET exists from libp11 0.4.11 on (optional): no "Found N slots" chatter on stderr.
        ENGINE_ctrl_cmd_string(engine, "QUIET", null, 1);
        if (ENGINE_ctrl_cmd_string(engine, "MODULE_PATH", Encoding.UTF8.GetBytes(module + "\0"), 0) != 1 || ENGINE_init(engine) != 1)
        {
            var reason = Errors();
            _ = ENGINE_free(engine);
            throw new TokenException(TokenError.ModuleUnavailable, $"OpenSSL's pkcs11 engine cannot use the module '{module}': {reason}");
        }

        // ENGINE_init holds a functional reference, kept for the life of the process; the structural one can go.
        _ = ENGINE_free(engine);
        Engines[module] = engine;
        return engine;
    }

    private static string Errors()
    {
        var reasons = new List<string>();
        Span<byte> buffer = stackalloc byte[256];
        for (var code = ERR_get_error(); code != 0 && reasons.Count < 4; code = ERR_get_error())
        {
            buffer.Clear();
            ERR_error_string_n(code, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
            reasons.Add(Encoding.UTF8.GetString(buffer[..buffer.IndexOf((byte)0)]));
        }

        ERR_clear_error();
        return reasons.Count > 0 ? string.Join("; ", reasons) : "no reason given";
    }

    [LibraryImport(LibCrypto, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr ENGINE_by_id(string id);

    [LibraryImport(LibCrypto, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ENGINE_ctrl_cmd_string(IntPtr engine, string command, byte[]? argument, int optional);

    [LibraryImport(LibCrypto)]
    private static partial int ENGINE_init(IntPtr engine);

    [LibraryImport(LibCrypto)]
    private static partial int ENGINE_free(IntPtr engine);

    [LibraryImport(LibCrypto, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr ENGINE_load_private_key(IntPtr engine, string keyId, IntPtr uiMethod, IntPtr callbackData);

    [LibraryImport(LibCrypto)]
    private static partial int EVP_PKEY_get_base_id(IntPtr key);

    [LibraryImport(LibCrypto)]
    private static partial nuint ERR_get_error();

    [LibraryImport(LibCrypto)]
    private static partial void ERR_error_string_n(nuint error, ref byte buffer, nuint length);

    [LibraryImport(LibCrypto)]
    private static partial void ERR_clear_error();
}
