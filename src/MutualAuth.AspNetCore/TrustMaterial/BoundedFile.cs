namespace MutualAuth.AspNetCore.TrustMaterial;

/// <summary>Reads configuration files with a size limit, so a wrong path (/dev/zero, a huge file) cannot exhaust memory.</summary>
internal static class BoundedFile
{
    /// <summary>The default limit: 16 MiB, the largest CRL accepted.</summary>
    public const int DefaultMaxSize = Certificates.CertificateRevocationList.MaxSize;

    /// <summary>Reads at most <paramref name="maxSize"/> bytes of a file.</summary>
    /// <exception cref="IOException">The path is a folder or the file is larger.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static byte[] ReadAllBytes(string path, int maxSize = DefaultMaxSize)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' is a folder");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        var buffer = new byte[Math.Min(maxSize + 1L, stream.CanSeek && stream.Length > 0 ? stream.Length + 1 : maxSize + 1L)];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read > maxSize || (read == buffer.Length && stream.ReadByte() >= 0))
        {
            throw new IOException($"'{path}' is larger than {maxSize} bytes");
        }

        return buffer[..read];
    }

    /// <summary>Reads a text file (UTF-8) of at most <paramref name="maxSize"/> bytes.</summary>
    /// <exception cref="IOException">The path is a folder or the file is larger.</exception>
    public static string ReadAllText(string path, int maxSize = DefaultMaxSize) => System.Text.Encoding.UTF8.GetString(ReadAllBytes(path, maxSize));
}
