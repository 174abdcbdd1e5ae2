using System.Globalization;

namespace MutualAuth.MessageSignatures;

/// <summary>The values of derived components (RFC 9421 §2.2) from a message's control data.</summary>
internal static class DerivedComponents
{
    public static string Value(HttpMessageComponents message, ComponentIdentifier component)
    {
        if (component.Name == "@status")
        {
            return message.Status is { } status
                ? status.ToString("D3", CultureInfo.InvariantCulture)
                : throw Missing("@status is only in responses");
        }

        var uri = message.TargetUri ?? throw Missing($"{component.Name} is only in requests");
        return component.Name switch
        {
            "@method" => message.Method!,
            "@target-uri" => uri.AbsoluteUri,
            "@authority" => Authority(uri),
            "@scheme" => uri.Scheme.ToLowerInvariant(),
            "@request-target" => message.RequestTarget!,
            "@path" => uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath,
            "@query" => uri.Query.Length == 0 ? "?" : uri.Query,
            "@query-param" => QueryParameter(uri, component.QueryParameterName!),
            _ => throw new MessageSignatureException(MessageSignatureError.InvalidComponentIdentifier, $"Unknown derived component {component.Name}."),
        };
    }

    /// <summary>Host lower-cased, the port only when not the scheme's default (§2.2.3, RFC 9110 §4.2.3).</summary>
    private static string Authority(Uri uri)
    {
        var host = uri.Host.ToLowerInvariant();
        if (uri.HostNameType == UriHostNameType.IPv6 && !host.StartsWith('['))
        {
            host = "[" + host + "]";
        }

        return uri.IsDefaultPort ? host : host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
    }

    private static string QueryParameter(Uri uri, string encodedName)
    {
        var values = QueryParameters.Values(uri.Query, encodedName);
        return values.Count switch
        {
            1 => values[0],
            0 => throw Missing("the query has no parameter " + encodedName),

            // "If a parameter name occurs multiple times in a request, the named parameter MUST NOT be included" (§2.2.8).
            _ => throw new MessageSignatureException(MessageSignatureError.InvalidComponentValue, $"The query parameter {encodedName} occurs more than once."),
        };
    }

    private static MessageSignatureException Missing(string why) => new(MessageSignatureError.MissingComponent, $"Missing component: {why}.");
}
