using System.Text.Json.Serialization;
using MutualAuth.Audit;
using MutualAuth.Cli.Commands;

namespace MutualAuth.Cli;

/// <summary>Source-generated JSON for command output (camelCase, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IEnumerable<CertificateListItem>))]
[JsonSerializable(typeof(IReadOnlyList<AuditEvent>))]
[JsonSerializable(typeof(VerifyReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
