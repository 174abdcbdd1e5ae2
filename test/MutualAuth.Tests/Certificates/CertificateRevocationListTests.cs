using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MutualAuth.Certificates;
using MutualAuth.Testing;

namespace MutualAuth.Tests.Certificates;

public sealed class CertificateRevocationListTests
{
    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.EcdsaP384)]
    [InlineData(KeyAlgorithm.Rsa3072)]
    public void Parses_and_verifies_a_crl_of_our_ca(KeyAlgorithm algorithm)
    {
        using var pki = new TestPki(algorithm);
        using var revoked = pki.Client();

        var crl = pki.Crl(revoked);

        Assert.True(crl.IsSignedBy(pki.Authority.Intermediate));
        Assert.False(crl.IsSignedBy(pki.Root));
        Assert.Equal(TestPki.Now, crl.ThisUpdate);
        Assert.Equal(TestPki.Now.AddDays(7), crl.NextUpdate);
        Assert.Equal(1, crl.CrlNumber);
        var entry = Assert.Single(crl.Entries);
        Assert.Equal(SerialNumbers.Normalize(revoked.Certificate.SerialNumber), entry.SerialNumber);
        Assert.Equal(X509RevocationReason.KeyCompromise, entry.Reason);
        Assert.NotNull(crl.Find(revoked.Certificate.SerialNumber));
    }

    [Fact]
    public void Reads_pem()
    {
        using var pki = new TestPki();
        var pem = PemEncoding.WriteString("X509 CRL", pki.Crl().RawData);

        Assert.True(CertificateRevocationList.Parse(Encoding.ASCII.GetBytes(pem)).IsSignedBy(pki.Authority.Intermediate));
    }

    [Fact]
    public void A_tampered_crl_does_not_verify()
    {
        using var pki = new TestPki();
        using var revoked = pki.Client();
        var der = pki.Crl(revoked).RawData;
        var serial = revoked.Certificate.SerialNumberBytes.ToArray();
        var index = der.AsSpan().IndexOf(serial);
        Assert.True(index > 0);
        der[index + serial.Length - 1] ^= 0x01; // the last byte keeps the INTEGER minimally encoded

        Assert.False(CertificateRevocationList.Parse(der).IsSignedBy(pki.Authority.Intermediate));
    }

    [Fact]
    public void A_crl_from_another_key_with_the_same_name_does_not_verify()
    {
        using var pki = new TestPki();
        using var other = new TestPki();

        Assert.False(other.Crl().IsSignedBy(pki.Authority.Intermediate));
    }

    [Theory]
    [InlineData("")]
    [InlineData("30 00")]
    [InlineData("04 03 01 02 03")]
    public void Garbage_is_refused_with_a_cryptographic_exception(string hex)
    {
        Assert.Throws<CryptographicException>(() => CertificateRevocationList.Parse(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal))));
    }

    [Fact]
    public void Oversized_input_is_refused_before_parsing()
    {
        Assert.Throws<CryptographicException>(() => CertificateRevocationList.Parse(new byte[CertificateRevocationList.MaxSize + 1]));
    }
}
