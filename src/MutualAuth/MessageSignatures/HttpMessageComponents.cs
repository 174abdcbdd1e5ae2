namespace MutualAuth.MessageSignatures;

/// <summary>
/// The parts of an HTTP message that RFC 9421 can cover (method, target URI, status, the related request, header field
/// lines by lower-case name), built by transport adapters; no I/O.
/// </summary>
public sealed class HttpMessageComponents
{
    private readonly Dictionary<string, List<string>> _fields;

    private HttpMessageComponents(Dictionary<string, List<string>> fields) => _fields = fields;

    /// <summary>The request method, case kept (<c>@method</c>, §2.2.1); null for a response.</summary>
    public string? Method { get; private init; }

    /// <summary>The absolute target URI (<c>@target-uri</c>, <c>@authority</c>, <c>@scheme</c>, <c>@path</c>, <c>@query</c>); null for a response.</summary>
    public Uri? TargetUri { get; private init; }

    /// <summary>The request target as sent (<c>@request-target</c>, §2.2.5): the origin form (path and query) unless given.</summary>
    public string? RequestTarget { get; private init; }

    /// <summary>The response status code (<c>@status</c>, §2.2.9); null for a request.</summary>
    public int? Status { get; private init; }

    /// <summary>For a response, the request it answers, which <c>;req</c> components read (§2.4); else null.</summary>
    public HttpMessageComponents? Request { get; private init; }

    /// <summary>Whether this is a request.</summary>
    public bool IsRequest => Status is null;

    /// <summary>The lower-case names of the header fields present.</summary>
    public IEnumerable<string> FieldNames => _fields.Keys;

    /// <summary>Describes a request.</summary>
    /// <param name="method">The method (e.g. <c>POST</c>); its case is kept.</param>
    /// <param name="targetUri">The absolute target URI, as the server sees it (scheme, authority, path, query).</param>
    /// <param name="fields">The header field lines, name and value, in order; names are matched case-insensitively.</param>
    /// <param name="requestTarget">The request target when not in origin form (absolute form, <c>*</c>, authority form).</param>
    /// <exception cref="ArgumentException">The URI is relative, or the method or a field name is empty.</exception>
    public static HttpMessageComponents ForRequest(string method, Uri targetUri, IEnumerable<KeyValuePair<string, string>> fields, string? requestTarget = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(targetUri);
        if (!targetUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The target URI must be absolute.", nameof(targetUri));
        }

        return new HttpMessageComponents(Collect(fields))
        {
            Method = method,
            TargetUri = targetUri,
            RequestTarget = requestTarget ?? targetUri.PathAndQuery,
        };
    }

    /// <summary>Describes a response.</summary>
    /// <param name="status">The status code, 100 to 999.</param>
    /// <param name="fields">The header field lines, name and value, in order.</param>
    /// <param name="request">The request it answers, for <c>;req</c> components (with that request's own Signature fields).</param>
    /// <exception cref="ArgumentOutOfRangeException">The status is not three digits.</exception>
    public static HttpMessageComponents ForResponse(int status, IEnumerable<KeyValuePair<string, string>> fields, HttpMessageComponents? request = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 999);
        if (request is { IsRequest: false })
        {
            throw new ArgumentException("The related message must be a request.", nameof(request));
        }

        return new HttpMessageComponents(Collect(fields)) { Status = status, Request = request };
    }

    /// <summary>The field lines of <paramref name="name"/> (any case), in order, or null when the field is absent.</summary>
    public IReadOnlyList<string>? FieldLines(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _fields.TryGetValue(name.ToLowerInvariant(), out var lines) ? lines : null;
    }

    /// <summary>A copy with one more field line (e.g. a <c>Signature</c> just added by a signer).</summary>
    public HttpMessageComponents WithField(string name, string value)
    {
        var fields = _fields.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v)))
            .Append(new(name, value));
        return new HttpMessageComponents(Collect(fields))
        {
            Method = Method,
            TargetUri = TargetUri,
            RequestTarget = RequestTarget,
            Status = Status,
            Request = Request,
        };
    }

    private static Dictionary<string, List<string>> Collect(IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var collected = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(value);
            var key = name.ToLowerInvariant();
            if (!collected.TryGetValue(key, out var lines))
            {
                collected[key] = lines = [];
            }

            lines.Add(value);
        }

        return collected;
    }
}
