using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MutualAuth.Authentication;
using MutualAuth.Cli.Commands;

namespace MutualAuth.Cli;

/// <summary>Source-generated JSON for command output (camelCase, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(IEnumerable<CertificateListItem>))]
[JsonSerializable(typeof(IReadOnlyList<AuditEvent>))]
[JsonSerializable(typeof(VerifyReport))]
[JsonSerializable(typeof(List<CertificateDescription>))]
[JsonSerializable(typeof(List<UserListItem>))]
[JsonSerializable(typeof(UserExport))]
[JsonSerializable(typeof(List<KeyListItem>))]
[JsonSerializable(typeof(ServerKeyExport))]
[JsonSerializable(typeof(List<PasskeyListItem>))]
[JsonSerializable(typeof(List<SettingReport>))]
[JsonSerializable(typeof(CardRecord))]
[JsonSerializable(typeof(List<TokenListItem>))]
[JsonSerializable(typeof(List<CardStatusItem>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>JSON output settings: camelCase names and enum values, indented, and no needless escaping (pins keep their '+').</summary>
internal static class CliJson
{
    public static CliJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter<AuditDecision>(JsonNamingPolicy.CamelCase) }, // the only enum in the output types; generic, so no runtime code generation (native AOT)
    });
}
