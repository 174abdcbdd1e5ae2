using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace MutualAuth.Certificates;

/// <summary>Certificate serial numbers: 16 random bytes, positive and non-zero (RFC 5280 §4.1.2.2).</summary>
internal static class SerialNumbers
{
    /// <summary>Creates a new random serial number of 16 bytes whose first bit is clear.</summary>
    public static byte[] Create()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        if (serial[0] == 0)
        {
            serial[0] = 0x01;
        }

        return serial;
    }

    /// <summary>Upper-case hex without separators, as <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.SerialNumber"/> prints it.</summary>
    public static string ToHex(ReadOnlySpan<byte> bigEndianSerial) => Convert.ToHexString(bigEndianSerial);

    /// <summary>
    /// Normalises a serial typed by a user (hex with optional <c>0x</c>, colons or spaces) to upper-case
    /// hex without leading zero bytes.
    /// </summary>
    /// <exception cref="FormatException">The text is not a hex number.</exception>
    public static string Normalize(string serial)
    {
        ArgumentNullException.ThrowIfNull(serial);
        var hex = serial.Trim().Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        if (hex.Length == 0 || !BigInteger.TryParse("0" + hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{serial}' is not a hexadecimal serial number.");
        }

        return Convert.ToHexString(value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }
}
