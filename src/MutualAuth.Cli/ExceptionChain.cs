namespace MutualAuth.Cli;

/// <summary>Looks through an exception's inner exceptions (HttpClient and Kestrel wrap the cause several levels deep).</summary>
internal static class ExceptionChain
{
    /// <summary>The first exception of type <typeparamref name="T"/> in the chain, or null.</summary>
    public static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The innermost exception of the chain.</summary>
    public static Exception Innermost(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
