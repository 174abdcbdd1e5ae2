namespace MutualAuth.MessageSignatures.StructuredFields;

/// <summary>Why a Structured Field value (RFC 9651) could not be parsed or serialised.</summary>
internal enum StructuredFieldError
{
    /// <summary>The field value is longer than the parser's limit.</summary>
    TooLong,

    /// <summary>The field value contains a character outside US-ASCII (RFC 9651 §4.2).</summary>
    NotAscii,

    /// <summary>The text does not follow the grammar (an unexpected or missing character).</summary>
    Syntax,

    /// <summary>An Integer, Decimal or Date is out of range or has too many digits (§3.3.1, §3.3.2).</summary>
    NumberOutOfRange,

    /// <summary>A String, Token, Key or Display String has a character its type does not allow.</summary>
    InvalidCharacter,

    /// <summary>A Byte Sequence is not valid base64 (§4.2.7).</summary>
    InvalidBase64,

    /// <summary>A Display String's percent-encoded bytes are not valid UTF-8 (§4.2.10).</summary>
    InvalidUtf8,

    /// <summary>The value has more members than the caller allows.</summary>
    TooManyMembers,
}
