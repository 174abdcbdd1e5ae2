using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using MutualAuth.Keys.Pkcs11;

namespace MutualAuth.Cli;

/// <summary>
/// Where a token PIN comes from: <c>--pin-file</c> (one trailing newline stripped), <c>--pin-env</c>, the URI's
/// <c>pin-source</c>, or a prompt on a terminal. Never a flag value, never printed; without any and without a
/// terminal, a clear error at once (libp11 would otherwise prompt and abort the process).
/// </summary>
internal static class TokenPins
{
    // A PIN is short; a "PIN file" of megabytes is a mistake (or /dev/zero).
    private const int MaxPinFileSize = 1024;

    public static Option<string?> FileOption() => new("--pin-file") { Description = "Read the token PIN from this file (one trailing newline is stripped).", HelpName = "FILE" };

    public static Option<string?> EnvironmentOption() => new("--pin-env") { Description = "Read the token PIN from this environment variable.", HelpName = "NAME" };

    public static Option<string?> ModuleOption() => new("--module") { Description = $"The PKCS#11 module (default: {Pkcs11Modules.Default}; SoftHSM2: {Pkcs11Modules.SoftHsm}; OpenSC for smart-card readers: /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so).", HelpName = "PATH" };

    /// <summary>The PIN, UTF-8, for <paramref name="what"/>; the caller clears it after use.</summary>
    /// <exception cref="CliException">No source and no terminal, an unreadable source, or an empty PIN.</exception>
    public static byte[] Read(string? file, string? environment, Pkcs11Uri? uri, string what)
    {
        string pin;
        if (file is not null)
        {
            pin = FromFile(file);
        }
        else if (environment is not null)
        {
            pin = System.Environment.GetEnvironmentVariable(environment) ?? throw CliException.Usage($"the environment variable {environment} (--pin-env) is not set.");
        }
        else if (uri?.PinSource is { } source)
        {
            pin = FromFile(SourcePath(source));
        }
        else if (!Console.IsInputRedirected)
        {
            pin = Passwords.Prompt($"PIN for {what}: ");
        }
        else
        {
            throw CliException.Usage($"{what} needs a PIN: give --pin-file FILE, --pin-env NAME or pin-source=file:PATH in the URI (there is no terminal to ask on).");
        }

        return pin.Length == 0 ? throw CliException.Usage($"the PIN for {what} is empty.") : Encoding.UTF8.GetBytes(pin);
    }

    /// <summary>Opens the token key <paramref name="uriText"/> with the PIN from the sources; token errors become CLI errors.</summary>
    public static TokenSigningKey OpenKey(string uriText, string? module, string? pinFile, string? pinEnvironment)
    {
        var uri = ParseUri(uriText);
        var pin = Read(pinFile, pinEnvironment, uri, $"the token key {uri}");
        try
        {
            return TokenSigningKey.Open(uri, module, pin);
        }
        catch (TokenException e)
        {
            throw Error(e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
        }
    }

    /// <summary>Parses a key URI given on the command line or in settings.</summary>
    public static Pkcs11Uri ParseUri(string text)
    {
        try
        {
            return Pkcs11Uri.Parse(text);
        }
        catch (FormatException e)
        {
            throw CliException.Usage(e.Message, e);
        }
    }

    /// <summary>The CLI error for a token failure: a wrong or locked PIN is a refusal (exit 1), an absent token I/O (3), the rest usage (2).</summary>
    public static CliException Error(TokenException e) => e.Error switch
    {
        TokenError.PinIncorrect or TokenError.PinLocked => CliException.Refused(e.Message, e),
        TokenError.TokenAbsent or TokenError.Failed => CliException.Store(e.Message, e),
        _ => CliException.Usage(e.Message, e),
    };

    private static string FromFile(string path)
    {
        var text = Encoding.UTF8.GetString(InputFiles.ReadBytes(path, MaxPinFileSize));

        // One trailing newline (as `echo PIN > file` writes), no more: libp11 keeps it and the PIN then fails.
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
    }

    private static string SourcePath(string source)
    {
        if (source.StartsWith('/'))
        {
            return source;
        }

        return Uri.TryCreate(source, UriKind.Absolute, out var parsed) && parsed.IsFile
            ? parsed.LocalPath
            : throw CliException.Usage("pin-source must be a file path or a file: URI.");
    }
}
