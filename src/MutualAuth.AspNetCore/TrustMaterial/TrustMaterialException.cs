namespace MutualAuth.AspNetCore.TrustMaterial;

/// <summary>Trust anchors, intermediates or CRLs could not be loaded.</summary>
public sealed class TrustMaterialException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrustMaterialException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrustMaterialException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TrustMaterialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
