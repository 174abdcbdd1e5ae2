using System.Text.Json;
using System.Text.RegularExpressions;
using MutualAuth.Storage.Sqlite;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.WebAuthn;

/// <summary>
/// serve's WebAuthn page in Debian's headless Chromium (test.sh installs it) with CDP virtual authenticators, over
/// serve's own TLS with its CA trusted in the browser's NSS database: enrol, log in, call a webauthn route, and the
/// server's refusals of UV=0 and of a BE flip.
/// </summary>
public sealed partial class BrowserTests
{
    private static string Script => Path.Combine(ConformanceData.RepositoryRoot(), "test", "MutualAuth.Interop.Tests", "WebAuthn", "browser", "webauthn.mjs");

    public static string Screenshot => Path.Combine(ConformanceData.RepositoryRoot(), "docs", "images", "webauthn-login.png");

    [Fact]
    public async Task Enrol_log_in_and_refusals_in_headless_Chromium()
    {
        using var temp = new TempFolder("mutualauth-webauthn-");
        var data = Path.Combine(temp.Path, "data");
        var home = Path.Combine(temp.Path, "home");
        await using var serve = await ServeProcess.Start(data, "--route", "/whoami=webauthn,mtls", "--log-level", "information");
        var origin = $"https://localhost:{serve.Port}";
        var invite = await Tool.MutualAuth("--data-dir", data, "webauthn", "invite", "alice", "--origin", origin);
        Assert.Equal(0, invite.ExitCode);
        var enrolUrl = InviteLink().Match(invite.StdOut).Value;
        NssTrustStore.TrustCa(home, new DataFolder(data).RootCertificatePath);

        var temporaryShot = Path.Combine(temp.Path, "login.png");
        var run = await Tool.Run("node", [Script], JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["enrolUrl"] = enrolUrl,
            ["loginUrl"] = origin + "/webauthn/",
            ["screenshot"] = temporaryShot,
        }), environment: new Dictionary<string, string> { ["HOME"] = home }, timeLimit: TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.StdErr + run.StdOut);
        var results = JsonDocument.Parse(run.StdOut).RootElement;

        Assert.True(results.GetProperty("register").GetProperty("ok").GetBoolean(), results.GetProperty("register").GetProperty("text").GetString());
        var login = results.GetProperty("login");
        Assert.True(login.GetProperty("ok").GetBoolean(), login.GetProperty("text").GetString());
        var whoami = JsonDocument.Parse(login.GetProperty("text").GetString()!).RootElement;
        Assert.Equal("alice", whoami.GetProperty("subject").GetString());
        Assert.Equal("webauthn", whoami.GetProperty("method").GetString());
        Assert.Equal(["hwk", "user"], whoami.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(200, results.GetProperty("webauthnRoute").GetInt32());
        var usernameless = results.GetProperty("usernameless");
        Assert.True(usernameless.GetProperty("ok").GetBoolean(), usernameless.GetProperty("text").GetString());
        Assert.Equal("alice", JsonDocument.Parse(usernameless.GetProperty("text").GetString()!).RootElement.GetProperty("subject").GetString());

        Assert.False(results.GetProperty("withoutUv").GetProperty("ok").GetBoolean());
        Assert.False(results.GetProperty("beFlip").GetProperty("ok").GetBoolean());
        Assert.True(await serve.WaitForOutput("user-not-verified"), serve.Output);
        Assert.True(await serve.WaitForOutput("backup-eligibility-changed"), serve.Output);

        // Without the CA in its NSS database the same browser refuses the page: the trust above is real, no error is ignored.
        var untrusted = await Tool.Run("node", [Script], JsonSerializer.Serialize(new Dictionary<string, string> { ["probeUrl"] = origin + "/webauthn/" }),
            environment: new Dictionary<string, string> { ["HOME"] = Path.Combine(temp.Path, "empty-home") }, timeLimit: TimeSpan.FromMinutes(1));
        Assert.Contains("ERR_CERT_AUTHORITY_INVALID", untrusted.StdOut, StringComparison.Ordinal);

        // The screenshot of the page after the login in docs/images (docs/webauthn.md), refreshed on request only.
        if (Environment.GetEnvironmentVariable("MUTUALAUTH_UPDATE_SCREENSHOTS") == "1")
        {
            File.Copy(temporaryShot, Screenshot, overwrite: true);
        }

        Assert.True(new FileInfo(temporaryShot).Length > 0);
    }

    [GeneratedRegex(@"https://\S+/webauthn/\?invite=\S+")]
    private static partial Regex InviteLink();
}
