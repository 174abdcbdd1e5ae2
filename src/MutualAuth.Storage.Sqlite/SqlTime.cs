using System.Globalization;

namespace MutualAuth.Storage.Sqlite;

/// <summary>Timestamps as sortable ISO 8601 UTC text, the way they are stored.</summary>
internal static class SqlTime
{
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
