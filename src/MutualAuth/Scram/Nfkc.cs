namespace MutualAuth.Scram;

/// <summary>
/// Unicode normalisation form KC (UAX #15) over code points, for SASLprep's second step (RFC 4013 §2.2).
/// It carries its own data (<see cref="NfkcTables"/>) because <see cref="string.Normalize(System.Text.NormalizationForm)"/>
/// silently returns non-ASCII text unchanged under <c>InvariantGlobalization</c>, and SASLprep must not depend on
/// how the host is configured. The data covers the code points assigned in Unicode 3.2, the only ones SASLprep lets through.
/// </summary>
internal static class Nfkc
{
    private const int SBase = 0xAC00;
    private const int LBase = 0x1100;
    private const int VBase = 0x1161;
    private const int TBase = 0x11A7;
    private const int LCount = 19;
    private const int VCount = 21;
    private const int TCount = 28;
    private const int NCount = VCount * TCount;
    private const int SCount = LCount * NCount;

    /// <summary>The NFKC form of <paramref name="codePoints"/>.</summary>
    public static List<int> Normalize(IReadOnlyList<int> codePoints)
    {
        var decomposed = new List<int>(codePoints.Count);
        foreach (var codePoint in codePoints)
        {
            Decompose(codePoint, decomposed);
        }

        SortCombiningMarks(decomposed);
        return Compose(decomposed);
    }

    /// <summary>The canonical combining class of <paramref name="codePoint"/> (0 for starters).</summary>
    public static int CombiningClass(int codePoint)
    {
        var runs = NfkcTables.CombiningClasses;
        int low = 0, high = (runs.Length / 3) - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (codePoint < runs[3 * middle])
            {
                high = middle - 1;
            }
            else if (codePoint > runs[(3 * middle) + 1])
            {
                low = middle + 1;
            }
            else
            {
                return runs[(3 * middle) + 2];
            }
        }

        return 0;
    }

    private static void Decompose(int codePoint, List<int> output)
    {
        var s = codePoint - SBase;
        if (s is >= 0 and < SCount)
        {
            output.Add(LBase + (s / NCount));
            output.Add(VBase + (s % NCount / TCount));
            if (s % TCount != 0)
            {
                output.Add(TBase + (s % TCount));
            }

            return;
        }

        var index = NfkcTables.DecompositionKeys.BinarySearch(codePoint);
        if (index < 0)
        {
            output.Add(codePoint);
            return;
        }

        var offsets = NfkcTables.DecompositionOffsets;
        foreach (var mapped in NfkcTables.Decompositions[offsets[index]..offsets[index + 1]])
        {
            output.Add(mapped);
        }
    }

    /// <summary>The canonical ordering algorithm: a stable sort of each run of non-starters by combining class.</summary>
    private static void SortCombiningMarks(List<int> codePoints)
    {
        for (var i = 1; i < codePoints.Count; i++)
        {
            var current = codePoints[i];
            var currentClass = CombiningClass(current);
            if (currentClass == 0)
            {
                continue;
            }

            var j = i - 1;
            while (j >= 0 && CombiningClass(codePoints[j]) > currentClass)
            {
                codePoints[j + 1] = codePoints[j];
                j--;
            }

            codePoints[j + 1] = current;
        }
    }

    /// <summary>The canonical composition algorithm: each character joins the last starter unless it is blocked.</summary>
    private static List<int> Compose(List<int> codePoints)
    {
        var result = new List<int>(codePoints.Count);
        var starter = -1;
        var lastClass = 0;
        foreach (var codePoint in codePoints)
        {
            var combiningClass = CombiningClass(codePoint);
            var adjacent = starter == result.Count - 1;
            if (starter >= 0 && (adjacent || (lastClass != 0 && lastClass < combiningClass))
                && TryCompose(result[starter], codePoint, out var composite))
            {
                result[starter] = composite;
                continue;
            }

            if (combiningClass == 0)
            {
                starter = result.Count;
            }

            lastClass = combiningClass;
            result.Add(codePoint);
        }

        return result;
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        if (first - LBase is >= 0 and < LCount && second - VBase is >= 0 and < VCount)
        {
            composite = SBase + ((((first - LBase) * VCount) + (second - VBase)) * TCount);
            return true;
        }

        if (first - SBase is >= 0 and < SCount && (first - SBase) % TCount == 0 && second - TBase is > 0 and < TCount)
        {
            composite = first + (second - TBase);
            return true;
        }

        var pairs = NfkcTables.CompositionPairs;
        int low = 0, high = (pairs.Length / 3) - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var order = first != pairs[3 * middle] ? first.CompareTo(pairs[3 * middle]) : second.CompareTo(pairs[(3 * middle) + 1]);
            if (order == 0)
            {
                composite = pairs[(3 * middle) + 2];
                return true;
            }

            (low, high) = order < 0 ? (low, middle - 1) : (middle + 1, high);
        }

        composite = 0;
        return false;
    }
}
