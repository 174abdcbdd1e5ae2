using System.Text.Json;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli;

/// <summary>An enrolled card in the data folder: where its key is (a PKCS#11 URI and module) and its certificate chain.</summary>
/// <param name="Uri">The key's URI (token label and serial, object label and id; never a PIN).</param>
/// <param name="Module">The PKCS#11 module.</param>
internal sealed record CardRecord(string Uri, string Module);

/// <summary>The files of enrolled cards: <c>cards/NAME.json</c> (<see cref="CardRecord"/>) and <c>cards/NAME.pem</c> (leaf, intermediate).</summary>
internal static class Cards
{
    public static string Directory(DataFolder folder) => Path.Combine(folder.Root, "cards");

    public static string RecordPath(DataFolder folder, string name) => Path.Combine(Directory(folder), name + ".json");

    public static string ChainPath(DataFolder folder, string name) => Path.Combine(Directory(folder), name + ".pem");

    /// <summary>The names of the enrolled cards.</summary>
    public static IEnumerable<string> Names(DataFolder folder) => System.IO.Directory.Exists(Directory(folder))
        ? System.IO.Directory.EnumerateFiles(Directory(folder), "*.json").Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal)
        : [];

    /// <summary>The record of card <paramref name="name"/>.</summary>
    /// <exception cref="CliException">No such card, or an unreadable record.</exception>
    public static CardRecord Load(DataFolder folder, string name)
    {
        if (!DataFolder.IsValidIdentityName(name) || !File.Exists(RecordPath(folder, name)))
        {
            throw CliException.Usage($"no enrolled card '{name}' in {folder.Root} (see 'mutualauth card status'; enrol one with 'mutualauth card enroll').");
        }

        try
        {
            return JsonSerializer.Deserialize(InputFiles.ReadText(RecordPath(folder, name)), CliJson.Context.CardRecord)
                ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw CliException.Usage($"the card record {RecordPath(folder, name)} is not valid: {e.Message}", e);
        }
    }

    /// <summary>Writes card <paramref name="name"/>: its record and chain (neither is secret).</summary>
    public static void Save(DataFolder folder, string name, CardRecord record, string chainPem)
    {
        // The data folder's own atomic writer (owner-only folders, temporary file then rename), as for identities.
        folder.EnsureCreated();
        DataFolder.WriteFile(ChainPath(folder, name), chainPem, secret: false);
        DataFolder.WriteFile(RecordPath(folder, name), JsonSerializer.Serialize(record, CliJson.Context.CardRecord), secret: false);
    }
}
