using System.Globalization;
using MutualAuth.Keys;
using MutualAuth.Tokens;

namespace MutualAuth.Storage.Sqlite;

/// <summary>
/// The authorization server's token signing keys in the data folder (<c>oauth/signing/KID.pem</c>, owner-only): a new
/// ES256 key every <see cref="RotationPeriod"/>, the previous one kept in the JWKS for <see cref="Overlap"/> so the
/// tokens it signed stay valid, older ones deleted.
/// </summary>
internal sealed class LocalTokenKeys(DataFolder folder, TimeProvider time)
{
    private const string Prefix = "as-";
    private readonly Lock _lock = new();
    private TokenSigningKeys? _current;
    private DateTimeOffset _checkedAt;

    public TimeSpan RotationPeriod { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Longer than any token lives.</summary>
    public TimeSpan Overlap { get; init; } = TimeSpan.FromDays(1);

    private string Directory => Path.Combine(folder.Root, "oauth", "signing");

    /// <summary>The current key set; rotates when the current key is older than <see cref="RotationPeriod"/> (checked once a minute).</summary>
    public TokenSigningKeys Current()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_current is null || now - _checkedAt > TimeSpan.FromMinutes(1))
            {
                _checkedAt = now;
                var files = Published(now);
                if (_current is null || !files.Select(f => f.KeyId).SequenceEqual(_current.Published.Select(p => p.KeyId)))
                {
                    // Keys of the previous set are not disposed: requests may still be signing with them.
                    var keys = files.Select(f => (f.KeyId, (SigningKey)SoftwareSigningKey.FromPem(File.ReadAllText(f.Path)))).ToList();
                    _current = new TokenSigningKeys(keys[0].KeyId, keys[0].Item2, keys);
                }
            }

            return _current;
        }
    }

    /// <summary>Forces a new current key now; the previous one stays published for <see cref="Overlap"/>.</summary>
    public string Rotate()
    {
        lock (_lock)
        {
            var keyId = Create(time.GetUtcNow());
            _current = null;
            return keyId;
        }
    }

    // Newest first; creates the first key, or the next one when the newest is due; deletes keys past their overlap.
    private List<(string KeyId, DateTimeOffset Created, string Path)> Published(DateTimeOffset now)
    {
        var files = ListFiles();
        if (files.Count == 0 || now - files[0].Created >= RotationPeriod)
        {
            Create(now);
            files = ListFiles();
        }

        var keep = new List<(string, DateTimeOffset, string)>();
        for (var i = 0; i < files.Count; i++)
        {
            // A key stays published until Overlap after the next one replaced it.
            var replacedAt = i == 0 ? (DateTimeOffset?)null : files[i - 1].Created;
            if (replacedAt is null || now - replacedAt.Value < Overlap)
            {
                keep.Add(files[i]);
            }
            else
            {
                File.Delete(files[i].Path);
            }
        }

        return keep;
    }

    private List<(string KeyId, DateTimeOffset Created, string Path)> ListFiles()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var result = new List<(string, DateTimeOffset, string)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, Prefix + "*.pem"))
        {
            var keyId = Path.GetFileNameWithoutExtension(path);
            var parts = keyId.Split('-');
            if (parts.Length == 3 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                result.Add((keyId, DateTimeOffset.FromUnixTimeSeconds(seconds), path));
            }
        }

        return [.. result.OrderByDescending(f => f.Item2).ThenByDescending(f => f.Item1, StringComparer.Ordinal)];
    }

    private string Create(DateTimeOffset now)
    {
        var keyId = $"{Prefix}{now.ToUnixTimeSeconds()}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
        using var key = SoftwareSigningKey.Generate(SigningKeyAlgorithm.EcdsaP256);
        DataFolder.WriteFile(Path.Combine(Directory, keyId + ".pem"), key.ExportPkcs8Pem(), secret: true);
        return keyId;
    }
}
