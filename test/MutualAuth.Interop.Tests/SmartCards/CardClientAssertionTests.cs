using System.Text.Json.Nodes;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.SmartCards;

/// <summary>
/// private_key_jwt from a card: <c>client add --key pkcs11:…</c> registers a token key's public half, and
/// <c>call --client</c> has the token sign the client assertion at serve's /oauth/token; the token then opens a token route.
/// </summary>
public sealed class CardClientAssertionTests : IAsyncLifetime, IDisposable
{
    private const string Client = "card-client";

    private readonly TempFolder _root = new();
    private ServeProcess _serve = null!;
    private ProcessResult _added = null!;

    private string Data => Path.Combine(_root.Path, "data");

    private string PinFile => Path.Combine(_root.Path, "pin");

    public async Task InitializeAsync()
    {
        await SoftHsm.Ready();
        await File.WriteAllTextAsync(PinFile, SoftHsm.Pin + "\n");
        Assert.True((await Tool.MutualAuth("ca", "init", "--data-dir", Data)).ExitCode == 0);
        _added = await Tool.MutualAuth("client", "add", Client, "--key", SoftHsm.KeyUri(SoftHsm.Ec256), "--module", SoftHsm.Module, "--pin-file", PinFile, "--data-dir", Data);
        Assert.True(_added.ExitCode == 0, _added.ToString());
        _serve = await ServeProcess.Start(Data, "--route", "/whoami=token");
    }

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task The_card_signs_the_client_assertion_and_the_token_opens_the_token_route()
    {
        var credential = await File.ReadAllTextAsync(Path.Combine(Data, "credentials", Client + ".oauth.json"));
        Assert.Contains("\"key_uri\"", credential, StringComparison.Ordinal);
        Assert.DoesNotContain("private_key", credential, StringComparison.Ordinal);

        var ok = await Tool.MutualAuth("call", _serve.Url("/whoami"), "--client", Client, "--pin-file", PinFile, "--data-dir", Data);

        Assert.True(ok.ExitCode == 0, ok.ToString());
        var whoami = JsonNode.Parse(ok.StdOut)!;
        Assert.Equal(Client, whoami["subject"]!.GetValue<string>());
        Assert.Equal("token", whoami["method"]!.GetValue<string>());
        Assert.DoesNotContain(SoftHsm.Pin, ok.ToString() + _added, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_pin_or_with_a_wrong_one_the_call_stops_before_asking_for_a_token()
    {
        var wrong = Path.Combine(_root.Path, "wrong");
        await File.WriteAllTextAsync(wrong, "00000000\n");

        var noPin = await Tool.MutualAuth("call", _serve.Url("/whoami"), "--client", Client, "--data-dir", Data);
        var wrongPin = await Tool.MutualAuth("call", _serve.Url("/whoami"), "--client", Client, "--pin-file", wrong, "--data-dir", Data);

        Assert.True(noPin.ExitCode == 2, noPin.ToString());
        Assert.Contains("needs a PIN", noPin.StdErr, StringComparison.Ordinal);
        Assert.True(wrongPin.ExitCode == 1, wrongPin.ToString());
        Assert.Contains("PIN incorrect", wrongPin.StdErr, StringComparison.Ordinal);
    }
}
