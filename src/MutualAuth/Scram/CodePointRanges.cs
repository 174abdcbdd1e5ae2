namespace MutualAuth.Scram;

/// <summary>Membership in a table of sorted, inclusive code point ranges stored as (first, last) pairs.</summary>
internal static class CodePointRanges
{
    /// <summary>Whether <paramref name="codePoint"/> lies in one of the ranges (binary search).</summary>
    public static bool Contains(ReadOnlySpan<int> ranges, int codePoint)
    {
        var low = 0;
        var high = (ranges.Length / 2) - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (codePoint < ranges[2 * middle])
            {
                high = middle - 1;
            }
            else if (codePoint > ranges[(2 * middle) + 1])
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
