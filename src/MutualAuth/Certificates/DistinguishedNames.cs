using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Certificates;

/// <summary>Reads attribute values out of an X.500 distinguished name.</summary>
internal static class DistinguishedNames
{
    /// <summary>id-at-commonName.</summary>
    public const string CommonNameOid = "2.5.4.3";

    /// <summary>id-at-organizationalUnitName.</summary>
    public const string OrganizationalUnitOid = "2.5.4.11";

    /// <summary>All values of the attribute <paramref name="oid"/> in <paramref name="name"/>, in order.</summary>
    public static IEnumerable<string> Values(X500DistinguishedName name, string oid)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid && rdn.GetSingleElementValue() is { } value)
            {
                yield return value;
            }
        }
    }

    /// <summary>The first common name, or <see langword="null"/>.</summary>
    public static string? CommonName(X500DistinguishedName name) => Values(name, CommonNameOid).FirstOrDefault();
}
