using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MutualAuth.Authentication;

namespace MutualAuth.Gateway;

/// <summary>
/// <c>POST /ca/renew</c>: renews the client's certificate for the key of a PKCS#10 request (PEM, at most 16 KiB) and
/// answers the new chain (<c>application/pem-certificate-chain</c>).
/// </summary>
// The request's self-signature proves possession of the new key; the mTLS handshake already proved possession of the
// current certificate's key and that it is valid and not revoked. Names and profile are copied from the current
// certificate, never from the request.
internal static class CertificateRenewalEndpoint
{
    private const int MaxRequestSize = 16 * 1024;

    public static async Task<IResult> Handle(HttpContext context, Func<X509Certificate2, PublicKey, CancellationToken, Task<string?>> renew, ILogger logger)
    {
        var current = await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        if (current is null)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (context.Request.ContentLength > MaxRequestSize)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = new byte[MaxRequestSize + 1];
        int read;
        try
        {
            read = await context.Request.Body.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, context.RequestAborted);
        }
        catch (BadHttpRequestException)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (read > MaxRequestSize)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        try
        {
            var request = CertificateRequest.LoadSigningRequestPem(System.Text.Encoding.ASCII.GetString(body, 0, read), HashAlgorithmName.SHA256);
            var chain = await renew(current, request.PublicKey, context.RequestAborted);
            if (chain is null)
            {
                Log.RenewalRefused(logger, LogText.Escape(current.Subject), current.SerialNumber, "not issued by this CA, or revoked");
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            Log.Renewed(logger, LogText.Escape(current.Subject), current.SerialNumber);
            return Results.Text(chain, "application/pem-certificate-chain");
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or NotSupportedException)
        {
            Log.RenewalRefused(logger, LogText.Escape(current.Subject), current.SerialNumber, LogText.Escape(e.Message));
            return Results.BadRequest();
        }
    }
}
