using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MutualAuth.Storage;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli;

/// <summary>
/// <c>serve</c> renews its own data-folder certificate (same key, names and profile) once two thirds of its
/// lifetime have passed; the certificate source then picks up the new files for new handshakes.
/// </summary>
internal static partial class ServerRenewal
{
    public static async Task RenewIfDueAsync(LocalCertificateAuthority ca, IdentityFiles files, X509Certificate2 current, ILogger logger)
    {
        var notBefore = current.NotBefore.ToUniversalTime();
        var due = notBefore + ((current.NotAfter.ToUniversalTime() - notBefore) * 2 / 3);
        if (DateTime.UtcNow < due)
        {
            return;
        }

        try
        {
            using var renewed = await ca.RenewAsync(current, current.PublicKey);
            if (renewed is null)
            {
                LogNotOurs(logger, current.SerialNumber);
                return;
            }

            await DataFolder.WriteIdentityAsync(files, renewed.CertificatePem, renewed.ChainPem, null, File.ReadAllText(files.CaPath));
            LogRenewed(logger, current.SerialNumber, renewed.Certificate.SerialNumber);
        }
        catch (Exception e) when (e is StoreException or IOException or ArgumentException)
        {
            LogFailed(logger, current.SerialNumber, e.Message);
        }
    }

    [LoggerMessage(9101, LogLevel.Information, "Renewed the server certificate {Old} as {New}")]
    private static partial void LogRenewed(ILogger logger, string old, string @new);

    [LoggerMessage(9102, LogLevel.Warning, "The server certificate {Serial} is due for renewal but was not issued by this data folder's CA (or is revoked); renew it yourself")]
    private static partial void LogNotOurs(ILogger logger, string serial);

    [LoggerMessage(9103, LogLevel.Error, "Could not renew the server certificate {Serial}: {Message}")]
    private static partial void LogFailed(ILogger logger, string serial, string message);

    [LoggerMessage(9104, LogLevel.Error, "CRL refresh or certificate renewal failed (retried in 10 minutes): {Message}")]
    public static partial void LogMaintenanceFailed(ILogger logger, string message);
}
