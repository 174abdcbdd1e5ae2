using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>The Data Protection key ring in the shared database, so a session cookie sealed on one node opens on every other.</summary>
/// <param name="database">The database.</param>
internal sealed class PostgresXmlRepository(PostgresDatabase database) : IXmlRepository
{
    // IXmlRepository is synchronous; the key manager calls it at start-up and when the ring is refreshed (about once a
    // day per node), never per request, so blocking on the async store call costs nothing that matters.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        database.RunAsync<IReadOnlyCollection<XElement>>(async (connection, cancel) =>
        {
            await using var select = PostgresDatabase.Command(connection, "SELECT xml FROM data_protection_key ORDER BY id");
            await using var reader = await select.ExecuteReaderAsync(cancel).ConfigureAwait(false);
            var elements = new List<XElement>();
            while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            {
                elements.Add(XElement.Parse(reader.GetString(0)));
            }

            return elements;
        }, CancellationToken.None).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        database.RunAsync(async (connection, cancel) =>
        {
            await using var insert = PostgresDatabase.Command(connection, "INSERT INTO data_protection_key (friendly_name, xml) VALUES (@name, @xml)",
                ("name", friendlyName ?? ""), ("xml", element.ToString(SaveOptions.DisableFormatting)));
            return await insert.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
        }, CancellationToken.None).GetAwaiter().GetResult();
    }
}
