using System.Buffers.Binary;
using System.Formats.Cbor;

namespace MutualAuth.WebAuthn;

/// <summary>The outer CBOR map of an attestation object (<c>fmt</c>, <c>attStmt</c>, <c>authData</c>), read with bounded size before the library parses it.</summary>
internal sealed record AttestationObject(string Format, byte[] AuthenticatorData, byte[] CredentialId)
{
    /// <summary>The largest attestation object accepted (a packed attestation with a certificate chain fits easily).</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>Reads the attestation object; null when it is too large, not canonical CBOR, or its authenticator data has no credential.</summary>
    public static AttestationObject? TryRead(byte[] cbor, out bool tooLarge)
    {
        tooLarge = cbor.Length > MaxBytes;
        if (tooLarge)
        {
            return null;
        }

        try
        {
            var reader = new CborReader(cbor, CborConformanceMode.Ctap2Canonical);
            string? format = null;
            byte[]? authData = null;
            var count = reader.ReadStartMap();
            for (var i = 0; count is null || i < count; i++)
            {
                if (count is null && reader.PeekState() == CborReaderState.EndMap)
                {
                    break;
                }

                switch (reader.ReadTextString())
                {
                    case "fmt": format = reader.ReadTextString(); break;
                    case "authData": authData = reader.ReadByteString(); break;
                    default: reader.SkipValue(); break;
                }
            }

            reader.ReadEndMap();
            if (reader.BytesRemaining != 0 || format is null || authData is null)
            {
                return null;
            }

            // Attested credential data: AAGUID (16), credentialIdLength (2), credentialId (L) after the 37-byte header.
            const int idAt = WebAuthnChecks.AuthenticatorDataHeaderBytes + 16 + 2;
            if (authData.Length < idAt || ((AuthenticatorFlags)authData[32] & AuthenticatorFlags.AttestedCredentialData) == 0)
            {
                return null;
            }

            var idLength = BinaryPrimitives.ReadUInt16BigEndian(authData.AsSpan(idAt - 2, 2));
            tooLarge = idLength > WebAuthnPolicy.MaxCredentialIdBytes;
            return tooLarge || authData.Length < idAt + idLength ? null : new AttestationObject(format, authData, authData[idAt..(idAt + idLength)]);
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
