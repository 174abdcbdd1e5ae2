namespace MutualAuth.Http;

/// <summary>Which side of a mutual authentication refused the other.</summary>
public enum RefusingParty
{
    /// <summary>The server refused this client (wrong password, unknown key, too many failures…).</summary>
    Server,

    /// <summary>This client refused the server: it did not prove itself, so the request was not sent or its answer was discarded unread.</summary>
    Client,
}
