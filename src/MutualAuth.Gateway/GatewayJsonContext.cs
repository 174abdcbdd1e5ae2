using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MutualAuth.Gateway;

/// <summary>Source-generated JSON for gateway responses (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(WhoAmI))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context with the relaxed encoder: responses are <c>application/json</c>, never embedded in HTML, so
    /// characters such as <c>+</c> in <c>mtls+scram</c> stay readable.
    /// </summary>
    public static GatewayJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
