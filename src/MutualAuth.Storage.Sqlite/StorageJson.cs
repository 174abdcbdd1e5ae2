using System.Text.Json.Serialization;

namespace MutualAuth.Storage.Sqlite;

/// <summary>Source-generated JSON for the values this store keeps as JSON text (lists of SANs), so no reflection is needed.</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class StorageJson : JsonSerializerContext;
