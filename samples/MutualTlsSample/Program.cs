// A server and a client that authenticate each other with certificates from a MutualAuth data folder.
// Set one up with `mutualauth serve` (zero-config) or `mutualauth ca init` + `ca issue`, then:
//   dotnet run --project samples/MutualTlsSample -- .mutualauth
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Storage.Sqlite;

var folder = new DataFolder(args.Length > 0 ? args[0] : ".mutualauth");
var root = X509Certificate2.CreateFromPem(File.ReadAllText(folder.RootCertificatePath));
var crl = CertificateRevocationList.Parse(File.ReadAllBytes(folder.CrlPath));
var server = folder.Identity("server");
var client = folder.Identity("client");

// Server: any ASP.NET Core app. The client certificate is checked in the TLS handshake.
var builder = WebApplication.CreateSlimBuilder();
builder.Services.AddAuthentication().AddMutualTls(o => o.TrustPolicy = () => new TrustPolicy { TrustAnchors = [root], Crls = [crl] });
builder.Services.AddAuthorization();

// Client: IHttpClientFactory. The server is verified before the request is sent.
builder.Services.AddHttpClient("api", c => c.BaseAddress = new Uri("https://localhost:9443")).AddMutualTls(o =>
{
    o.ClientCertificate = X509Certificate2.CreateFromPemFile(client.ChainPath, client.KeyPath);
    o.ClientCertificateChain.AddRange(Intermediates(client.ChainPath));
    o.ServerTrust = new TrustPolicy { TrustAnchors = [root], Revocation = RevocationMode.None };
});

builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(9443, listen =>
    listen.UseMutualTls(X509Certificate2.CreateFromPemFile(server.ChainPath, server.KeyPath), Intermediates(server.ChainPath))));
var app = builder.Build();
app.MapGet("/hello", (ClaimsPrincipal user) => $"hello {user.FindFirst("sub")?.Value}").RequireAuthorization();
await app.StartAsync();

Console.WriteLine(await app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetStringAsync("/hello"));
await app.StopAsync();

static X509Certificate2Collection Intermediates(string chainPath)
{
    var all = new X509Certificate2Collection();
    all.ImportFromPemFile(chainPath);
    return new X509Certificate2Collection(all.Skip(1).ToArray());
}
