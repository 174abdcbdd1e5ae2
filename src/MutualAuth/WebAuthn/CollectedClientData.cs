using System.Text.Json;

namespace MutualAuth.WebAuthn;

/// <summary>The members of clientDataJSON the relying party checks (WebAuthn Level 3 §5.8.1).</summary>
internal sealed record CollectedClientData(string Type, string Challenge, string Origin, bool CrossOrigin, string? TopOrigin)
{
    /// <summary>The largest clientDataJSON accepted.</summary>
    public const int MaxBytes = 4096;

    /// <summary>Parses clientDataJSON; null when it is too large, not a JSON object, repeats a member, or lacks type, challenge or origin.</summary>
    // Repeated members are refused: a parser that keeps the first and one that keeps the last would see different origins.
    public static CollectedClientData? TryParse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? type = null, challenge = null, origin = null, topOrigin = null;
            var crossOrigin = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!seen.Add(name) || !reader.Read())
                {
                    return null;
                }

                switch (name)
                {
                    case "type": type = reader.GetString(); break;
                    case "challenge": challenge = reader.GetString(); break;
                    case "origin": origin = reader.GetString(); break;
                    case "topOrigin": topOrigin = reader.GetString(); break;
                    case "crossOrigin": crossOrigin = reader.GetBoolean(); break;
                    default: reader.Skip(); break;
                }
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && type is not null && challenge is not null && origin is not null
                ? new CollectedClientData(type, challenge, origin, crossOrigin, topOrigin)
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
