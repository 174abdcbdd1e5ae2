namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>The top-level type of a Structured Field (RFC 9651 §3): the field's definition says which.</summary>
public enum StructuredFieldType
{
    /// <summary>A single Item with Parameters (§3.3).</summary>
    Item,

    /// <summary>A List of Items and Inner Lists (§3.1).</summary>
    List,

    /// <summary>A Dictionary of keys to Items and Inner Lists (§3.2).</summary>
    Dictionary,
}
