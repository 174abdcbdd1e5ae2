using System.Text.Json.Serialization;

namespace MutualAuth.AspNetCore.Gateway;

/// <summary>Source-generated JSON for gateway responses (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(WhoAmI))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
