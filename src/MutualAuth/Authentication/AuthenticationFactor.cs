namespace MutualAuth.Authentication;

/// <summary>
/// One of several methods that together authenticated a request (a route such as <c>mtls+scram</c>): the method and the
/// identity it established.
/// </summary>
/// <param name="Method">The method, e.g. <see cref="AuthenticationMethods.Scram"/>.</param>
/// <param name="Subject">The subject that method established (a certificate's subject, a user name, a client name).</param>
/// <param name="CredentialId">The credential it used (certificate serial, user name, key id).</param>
public sealed record AuthenticationFactor(string Method, string Subject, string CredentialId);
