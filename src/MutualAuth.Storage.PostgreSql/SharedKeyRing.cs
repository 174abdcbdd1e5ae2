using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace MutualAuth.Storage.PostgreSql;

/// <summary>
/// Shares the Data Protection key ring of every gateway node through the database: one application name, the ring in
/// <c>data_protection_key</c>, each key sealed at rest by the data folder's box (which every node copies).
/// </summary>
internal static class SharedKeyRing
{
    /// <summary>The application name every node uses, so they derive the same purposes from one ring.</summary>
    public const string ApplicationName = "mutualauth-gateway";

    /// <summary>The associated data binding a sealed key to this use of the box.</summary>
    public const string SealContext = "data-protection-key";

    /// <summary>Keeps <paramref name="builder"/>'s key ring in <paramref name="database"/>, sealed with <paramref name="seal"/> / <paramref name="open"/>.</summary>
    public static IDataProtectionBuilder Use(IDataProtectionBuilder builder, PostgresDatabase database, Func<byte[], byte[]> seal, Func<byte[], byte[]> open)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var box = new KeyRingBox(seal, open);
        builder.Services.AddSingleton(box);
        builder.SetApplicationName(ApplicationName);
        builder.Services.Configure<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new PostgresXmlRepository(database);
            o.XmlEncryptor = new SealedXmlEncryptor(box);
        });
        return builder;
    }

    /// <summary>The data folder's box, as the decryptor (activated by type name) finds it in the services.</summary>
    internal sealed record KeyRingBox(Func<byte[], byte[]> Seal, Func<byte[], byte[]> Open);

    /// <summary>Replaces a key element by <c>&lt;sealedKey&gt;</c>: base64 of the box's AES-256-GCM seal of its XML.</summary>
    internal sealed class SealedXmlEncryptor(KeyRingBox box) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        {
            ArgumentNullException.ThrowIfNull(plaintextElement);
            var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
            try
            {
                return new EncryptedXmlInfo(new XElement("sealedKey", Convert.ToBase64String(box.Seal(plaintext))), typeof(SealedXmlDecryptor));
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
            }
        }
    }

    /// <summary>Opens what <see cref="SealedXmlEncryptor"/> sealed; a node with another box fails (the key does not open).</summary>
    /// <param name="services">The application's services (Data Protection activates decryptors with them).</param>
    internal sealed class SealedXmlDecryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            ArgumentNullException.ThrowIfNull(encryptedElement);
            var box = services.GetRequiredService<KeyRingBox>();
            var plaintext = box.Open(Convert.FromBase64String(encryptedElement.Value));
            try
            {
                return XElement.Parse(Encoding.UTF8.GetString(plaintext));
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
            }
        }
    }
}
