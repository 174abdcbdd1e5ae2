using System.Text.Json.Serialization;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>Source-generated JSON for the values this store keeps as JSON text (lists of SANs), as the SQLite store does.</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class PostgresJson : JsonSerializerContext;
