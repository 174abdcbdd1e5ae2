using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace MutualAuth.Interop.Tests.WebAuthn;

/// <summary>
/// Creates the NSS database Chromium on Linux reads its user trust from (<c>$HOME/.pki/nssdb</c>) and marks a CA in it
/// as trusted for TLS servers: certutil's <c>-N --empty-password</c> and <c>-A -t C,,</c>, through libnss3 (installed with
/// Chromium), so the browser test trusts serve's CA without ignoring certificate errors.
/// </summary>
internal static partial class NssTrustStore
{
    private const string Nss = "libnss3.so";
    private const int SecSuccess = 0;

    public static void TrustCa(string home, string caPemPath)
    {
        var database = Path.Combine(home, ".pki", "nssdb");
        Directory.CreateDirectory(database);
        var der = X509Certificate2.CreateFromPem(File.ReadAllText(caPemPath)).RawData;
        Check(NSS_InitReadWrite("sql:" + database), "NSS_InitReadWrite");
        try
        {
            var slot = PK11_GetInternalKeySlot();
            try
            {
                if (PK11_NeedUserInit(slot) != 0)
                {
                    Check(PK11_InitPin(slot, null, ""), "PK11_InitPin");
                }

                Check(PK11_CheckUserPassword(slot, ""), "PK11_CheckUserPassword");
                var pinned = GCHandle.Alloc(der, GCHandleType.Pinned);
                var item = new SecItem { Data = pinned.AddrOfPinnedObject(), Length = (uint)der.Length };
                var certificate = CERT_NewTempCertificate(CERT_GetDefaultCertDB(), ref item, null, 0, 1);
                pinned.Free();
                if (certificate == 0)
                {
                    throw new InvalidOperationException("NSS cannot decode the CA certificate.");
                }

                try
                {
                    Check(PK11_ImportCert(slot, certificate, 0, "mutualauth-test-ca", 0), "PK11_ImportCert");
                    var trust = new CertTrust();
                    Check(CERT_DecodeTrustString(ref trust, "C,,"), "CERT_DecodeTrustString");
                    Check(CERT_ChangeCertTrust(CERT_GetDefaultCertDB(), certificate, ref trust), "CERT_ChangeCertTrust");
                }
                finally
                {
                    CERT_DestroyCertificate(certificate);
                }
            }
            finally
            {
                PK11_FreeSlot(slot);
            }
        }
        finally
        {
            _ = NSS_Shutdown(); // fails only while objects are still referenced: nothing to do about it here
        }
    }

    private static void Check(int status, string function)
    {
        if (status != SecSuccess)
        {
            throw new InvalidOperationException($"{function} failed (NSS error {PR_GetError()}).");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SecItem
    {
        public int Type;
        public nint Data;
        public uint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CertTrust
    {
        public uint SslFlags;
        public uint EmailFlags;
        public uint ObjectSigningFlags;
    }

    [LibraryImport(Nss, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NSS_InitReadWrite(string configDirectory);

    [LibraryImport(Nss)]
    private static partial int NSS_Shutdown();

    [LibraryImport(Nss)]
    private static partial nint PK11_GetInternalKeySlot();

    [LibraryImport(Nss)]
    private static partial void PK11_FreeSlot(nint slot);

    [LibraryImport(Nss)]
    private static partial int PK11_NeedUserInit(nint slot);

    [LibraryImport(Nss, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PK11_InitPin(nint slot, string? ssoPassword, string userPassword);

    [LibraryImport(Nss, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PK11_CheckUserPassword(nint slot, string password);

    [LibraryImport(Nss, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint CERT_NewTempCertificate(nint database, ref SecItem der, string? nickname, int isPermanent, int copyDer);

    [LibraryImport(Nss, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PK11_ImportCert(nint slot, nint certificate, nuint key, string nickname, int includeTrust);

    [LibraryImport(Nss)]
    private static partial nint CERT_GetDefaultCertDB();

    [LibraryImport(Nss, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int CERT_DecodeTrustString(ref CertTrust trust, string trusts);

    [LibraryImport(Nss)]
    private static partial int CERT_ChangeCertTrust(nint database, nint certificate, ref CertTrust trust);

    [LibraryImport(Nss)]
    private static partial void CERT_DestroyCertificate(nint certificate);

    [LibraryImport("libnspr4.so")]
    private static partial int PR_GetError();
}
