using System.Globalization;

namespace MutualAuth.Testing;

/// <summary>
/// SoftHSM2 standing in for a smart card: one token folder per test process (SOFTHSM2_CONF is read once, when the
/// module is first loaded), tokens found by label, keys made with OpenSC's pkcs11-tool. Missing tools fail the test
/// with what to install; test.sh installs them.
/// </summary>
internal static partial class SoftHsm
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>The user PIN of every test token; tests grep output and logs for it.</summary>
    public const string Pin = "48151623";

    public const string SoPin = "87654321";

    /// <summary>The token with the keys below, made once per test process.</summary>
    public const string Token = "mutualauth-card";

    /// <summary>Key labels on <see cref="Token"/> (ids 01, 02, 03).</summary>
    public const string Ec256 = "ec256", Ec384 = "ec384", Rsa = "rsa2048";

    private static readonly Lazy<Task<string>> Folder = new(Create);

    /// <summary>Creates the token folder and the test token (once), and points SOFTHSM2_CONF at it.</summary>
    public static Task<string> Ready() => Folder.Value;

    /// <summary>A key URI on the test token.</summary>
    public static string KeyUri(string label) => $"pkcs11:token={Token};object={label};type=private";

    /// <summary>Empty tokens, made with the first: SoftHSM2 does not see tokens made after it was loaded in a process.</summary>
    public const string SpareToken = "spare-card", EnrolToken = "enrol-card", CaToken = "ca-hsm";

    /// <summary>Runs pkcs11-tool on <paramref name="token"/>, logged in.</summary>
    public static Task<(int ExitCode, string Output)> Pkcs11Tool(string token, params string[] args) =>
        Run("pkcs11-tool", ["--module", Module, "--token-label", token, "--login", "--pin", Pin, .. args]);

    private static async Task<string> Create()
    {
        foreach (var tool in new[] { "softhsm2-util", "pkcs11-tool" })
        {
            if (!File.Exists("/usr/bin/" + tool))
            {
                throw new InvalidOperationException($"{tool} is missing: run ./test.sh, which installs softhsm2, opensc and libengine-pkcs11-openssl.");
            }
        }

        if (!File.Exists(Module))
        {
            throw new InvalidOperationException($"{Module} is missing: run ./test.sh (apt-get install softhsm2).");
        }

        var folder = Directory.CreateTempSubdirectory("mutualauth-softhsm-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "tokens"));
        var conf = Path.Combine(folder, "softhsm2.conf");
        await File.WriteAllTextAsync(conf, $"directories.tokendir = {folder}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n");
        // Both: .NET's copy for child processes, and the C library's for SoftHSM2 loaded in this process.
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", conf);
        _ = setenv("SOFTHSM2_CONF", conf, 1);
        await Must("softhsm2-util", ["--init-token", "--free", "--label", Token, "--so-pin", SoPin, "--pin", Pin]);
        foreach (var spare in new[] { SpareToken, EnrolToken, CaToken })
        {
            await Must("softhsm2-util", ["--init-token", "--free", "--label", spare, "--so-pin", SoPin, "--pin", Pin]);
        }

        await Must("pkcs11-tool", ["--module", Module, "--token-label", Token, "--login", "--pin", Pin, "--keypairgen", "--key-type", "EC:prime256v1", "--id", "01", "--label", Ec256]);
        await Must("pkcs11-tool", ["--module", Module, "--token-label", Token, "--login", "--pin", Pin, "--keypairgen", "--key-type", "EC:secp384r1", "--id", "02", "--label", Ec384]);
        await Must("pkcs11-tool", ["--module", Module, "--token-label", Token, "--login", "--pin", Pin, "--keypairgen", "--key-type", "rsa:2048", "--id", "03", "--label", Rsa]);
        return folder;
    }

    private static async Task Must(string tool, string[] args)
    {
        var (exitCode, output) = await Run(tool, args);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{tool} failed with {exitCode}: {output}"));
        }
    }

    // Not Tool.Run: this file is also linked into test projects that do not run the mutualauth command.
    private static async Task<(int ExitCode, string Output)> Run(string tool, string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    [System.Runtime.InteropServices.LibraryImport("libc", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
