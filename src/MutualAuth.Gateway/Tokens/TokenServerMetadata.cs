using System.Text.Json;
using MutualAuth.Tokens;

namespace MutualAuth.Gateway.Tokens;

/// <summary>The documents a client discovers us by: RFC 8414 metadata, the JWKS, and RFC 9728 protected resource metadata.</summary>
internal static class TokenServerMetadata
{
    private static readonly string[] Algorithms = [JwsAlgorithms.ES256, JwsAlgorithms.ES384, JwsAlgorithms.PS256, JwsAlgorithms.EdDSA];

    public static byte[] AuthorizationServer(TokenServerOptions options) => JwsWriter.Json(w =>
    {
        w.WriteString("issuer", options.IssuerIdentifier);
        w.WriteString("token_endpoint", options.Url(TokenServerPaths.Token).ToString());
        w.WriteString("jwks_uri", options.Url(TokenServerPaths.Jwks).ToString());
        Strings(w, "grant_types_supported", [TokenNames.ClientCredentialsGrant]);
        Strings(w, "token_endpoint_auth_methods_supported", ["private_key_jwt", "tls_client_auth"]);
        Strings(w, "token_endpoint_auth_signing_alg_values_supported", Algorithms);
        Strings(w, "dpop_signing_alg_values_supported", Algorithms);
        w.WriteBoolean("tls_client_certificate_bound_access_tokens", true);
        w.WriteBoolean("authorization_response_iss_parameter_supported", false);
    });

    public static byte[] Jwks(TokenServerOptions options) => JwsWriter.Json(w =>
    {
        w.WriteStartArray("keys");
        foreach (var (keyId, key) in options.SigningKeys().Published)
        {
            PublicJwk.Write(w, key, keyId, "sig");
        }

        w.WriteEndArray();
    });

    public static byte[] ProtectedResource(TokenServerOptions options) => JwsWriter.Json(w =>
    {
        w.WriteString("resource", options.IssuerIdentifier);
        Strings(w, "authorization_servers", [options.IssuerIdentifier, .. options.ExternalIssuers.Select(i => i.Issuer)]);
        // RFC 9728 §2: the keys the resource signs its responses with (fapi-2-response), whichever issuer the token came from.
        w.WriteString("jwks_uri", options.Url(TokenServerPaths.Jwks).ToString());
        Strings(w, "bearer_methods_supported", ["header"]);
        Strings(w, "dpop_signing_alg_values_supported", Algorithms);
        w.WriteBoolean("dpop_bound_access_tokens_required", false);
        w.WriteBoolean("tls_client_certificate_bound_access_tokens", true);
    });

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
