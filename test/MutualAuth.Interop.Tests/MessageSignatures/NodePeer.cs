using System.Text.Json;
using System.Text.Json.Nodes;
using MutualAuth.Testing;

namespace MutualAuth.Interop.Tests.MessageSignatures;

/// <summary>The npm package http-message-signatures (an independent RFC 9421 implementation) run with Node.js: peer.mjs.</summary>
internal static class NodePeer
{
    private static string Folder => Path.Combine(ConformanceData.RepositoryRoot(), "test", "MutualAuth.Interop.Tests", "MessageSignatures", "node");

    public static async Task<JsonObject> Run(JsonObject input)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "http-message-signatures")))
        {
            throw new InvalidOperationException($"The npm RFC 9421 peer is not installed in {Folder}: run ./test.sh (it runs 'npm ci' there).");
        }

        var result = await Tool.Run("node", [Path.Combine(Folder, "peer.mjs")], stdin: input.ToJsonString());
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.StdOut)!.AsObject();
    }

    public static JsonObject Headers(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in fields)
        {
            headers[name] = value;
        }

        return headers;
    }

    public static IEnumerable<KeyValuePair<string, string>> Fields(JsonNode headers) =>
        headers.AsObject().Select(h => new KeyValuePair<string, string>(h.Key, h.Value!.GetValueKind() == JsonValueKind.Array
            ? string.Join(", ", h.Value.AsArray().Select(v => v!.GetValue<string>()))
            : h.Value.GetValue<string>()));
}
