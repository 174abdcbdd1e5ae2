using MutualAuth.Scram;

namespace MutualAuth.Tests.Scram;

public sealed class SaslPrepTests
{
    /// <summary>RFC 4013 §3.</summary>
    [Theory]
    [InlineData("I\u00ADX", "IX")]
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]
    [InlineData("\u00AA", "a")]
    [InlineData("\u2168", "IX")]
    public void The_rfc_4013_examples_prepare(string input, string expected) => Assert.Equal(expected, SaslPrep.Prepare(input));

    [Theory]
    [InlineData("\u0007")]
    [InlineData("\u0627\u0031")]
    public void The_rfc_4013_error_examples_fail(string input)
    {
        Assert.False(SaslPrep.TryPrepare(input, out var prepared, out var failure));
        Assert.Null(prepared);
        Assert.NotNull(failure);
        Assert.Equal(ScramError.UnsupportedCharacters, Assert.Throws<ScramException>(() => SaslPrep.Prepare(input)).Error);
    }

    /// <summary>Table B.1: mapped to nothing (RFC 4013 §2.1).</summary>
    [Theory]
    [InlineData("\u00AD")]
    [InlineData("\u034F")]
    [InlineData("\u1806")]
    [InlineData("\u180B")]
    [InlineData("\u200C")]
    [InlineData("\u200D")]
    [InlineData("\u2060")]
    [InlineData("\uFE00")]
    [InlineData("\uFE0F")]
    [InlineData("\uFEFF")]
    public void Commonly_mapped_to_nothing_characters_are_removed(string removed) =>
        Assert.Equal("ab", SaslPrep.Prepare("a" + removed + "b"));

    /// <summary>Table C.1.2: mapped to SPACE (RFC 4013 §2.1). U+200B is in both C.1.2 and B.1; like PostgreSQL
    /// (and libidn), the space mapping is applied first, so it becomes a space.</summary>
    [Theory]
    [InlineData("\u00A0")]
    [InlineData("\u1680")]
    [InlineData("\u2000")]
    [InlineData("\u2007")]
    [InlineData("\u200B")]
    [InlineData("\u202F")]
    [InlineData("\u205F")]
    [InlineData("\u3000")]
    public void Non_ascii_spaces_become_spaces(string space) => Assert.Equal("a b", SaslPrep.Prepare("a" + space + "b"));

    /// <summary>NFKC (RFC 4013 §2.2).</summary>
    [Theory]
    [InlineData("\u2168", "IX")]
    [InlineData("\u00AA", "a")]
    [InlineData("Jose\u0301", "Jos\u00E9")]
    [InlineData("\uFB01", "fi")]
    [InlineData("\uFF21\uFF22", "AB")]
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]
    [InlineData("\U0001D400", "A")]
    [InlineData("\U0002F800", "\u4E3D")]
    public void Strings_are_normalised_to_nfkc(string input, string expected) => Assert.Equal(expected, SaslPrep.Prepare(input));

    /// <summary>RFC 4013 §2.3: tables C.1.2 (after normalisation), C.2.1, C.2.2, C.3, C.4, C.6, C.7, C.8, C.9 (C.5 is a lone surrogate).</summary>
    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("a\u001Fb")]
    [InlineData("a\u007Fb")]
    [InlineData("a\u0085b")]
    [InlineData("a\u06DDb")]
    [InlineData("a\u180Eb")]
    [InlineData("a\u2028b")]
    [InlineData("a\u2062b")]
    [InlineData("a\U0001D173b")]
    [InlineData("a\uE000b")]
    [InlineData("a\U000F0000b")]
    [InlineData("a\U0010FFFDb")]
    [InlineData("a\uFDD0b")]
    [InlineData("a\uFFFEb")]
    [InlineData("a\U0001FFFFb")]
    [InlineData("a\uFFF9b")]
    [InlineData("a\uFFFDb")]
    [InlineData("a\u2FF0b")]
    [InlineData("a\u200Eb")]
    [InlineData("a\u202Eb")]
    [InlineData("a\u206Ab")]
    [InlineData("a\U000E0001b")]
    [InlineData("a\U000E0041b")]
    public void Prohibited_characters_fail(string input) => Assert.False(SaslPrep.TryPrepare(input, out _, out _));

    /// <summary>Prohibition applies to the normalised output (RFC 3454 §3): U+0340 (C.8) normalises to U+0300, which is
    /// allowed. PostgreSQL checks before normalising and refuses it: a documented difference.</summary>
    [Fact]
    public void Prohibition_applies_to_the_normalised_string() => Assert.Equal("\u00E0", SaslPrep.Prepare("a\u0340"));

    /// <summary>RFC 4013 §2.4, RFC 3454 §6 with tables D.1 and D.2.</summary>
    [Theory]
    [InlineData("\u0627\u0628", true)]
    [InlineData("\u0627\u0031\u0628", true)]
    [InlineData("\u05D0 \u05D1", true)]
    [InlineData("\u0627\u0031", false)]
    [InlineData("\u0031\u0627", false)]
    [InlineData("\u0627a\u0628", false)]
    [InlineData("a\u0627", false)]
    [InlineData("x\u2135", false)]
    [InlineData("123", true)]
    public void Right_to_left_strings_must_be_pure_and_start_and_end_right_to_left(string input, bool valid) =>
        Assert.Equal(valid, SaslPrep.TryPrepare(input, out _, out _));

    /// <summary>RFC 4013 §2.5, stored strings: table A.1 (Unicode 3.2) is prohibited, checked before normalisation, so
    /// U+1D2C (added in Unicode 4.0, NFKC "A" today) is refused as a Unicode 3.2 implementation refuses it.</summary>
    [Theory]
    [InlineData("\u0221")]
    [InlineData("a\u0221b")]
    [InlineData("\u1D2C")]
    [InlineData("\U00010000")]
    [InlineData("\U0001F600")]
    [InlineData("\u20AC\u20B9")]
    public void Unassigned_code_points_fail(string input) => Assert.False(SaslPrep.TryPrepare(input, out _, out _));

    /// <summary>Lone surrogates are not characters. (Literal strings: xUnit's InlineData would replace them with U+FFFD.)</summary>
    [Fact]
    public void Lone_surrogates_fail()
    {
        foreach (var input in new[] { "\uD800", "a\uDC00b", "\uD835", "\uDC00\uD835", "x\uD835" })
        {
            Assert.False(SaslPrep.TryPrepare(input, out _, out var failure));
            Assert.Contains("surrogate", failure, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\u00AD")]
    [InlineData("\u200D\uFEFF")]
    public void An_empty_result_fails(string input) => Assert.False(SaslPrep.TryPrepare(input, out _, out _));

    [Fact]
    public void Failure_messages_do_not_quote_the_input()
    {
        Assert.False(SaslPrep.TryPrepare("secret\u0007\u0221", out _, out var failure));

        Assert.DoesNotContain("secret", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("0221", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Preparation_is_idempotent_on_its_output()
    {
        foreach (var input in new[] { "I\u00ADX", "\u2168", "Jose\u0301", "\uFB01", "\u0627\u0031\u0628", "\U0001D400b" })
        {
            var once = SaslPrep.Prepare(input);
            Assert.Equal(once, SaslPrep.Prepare(once));
        }
    }
}
