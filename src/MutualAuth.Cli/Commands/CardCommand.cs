using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAuth.Certificates;
using MutualAuth.Keys;
using MutualAuth.Keys.Pkcs11;
using MutualAuth.Storage.Sqlite;

namespace MutualAuth.Cli.Commands;

/// <summary><c>mutualauth card enroll|list|status</c>: client identities whose key is generated and kept on a PKCS#11 token.</summary>
internal static class CardCommand
{
    private static readonly Dictionary<string, SigningKeyAlgorithm> KeyTypes = new(StringComparer.Ordinal)
    {
        ["p256"] = SigningKeyAlgorithm.EcdsaP256,
        ["p384"] = SigningKeyAlgorithm.EcdsaP384,
        ["rsa"] = SigningKeyAlgorithm.Rsa,
    };

    public static Command Create()
    {
        var command = new Command("card", "Smart cards and other PKCS#11 tokens: enrol a card (key generated on it, certificate from this CA), list tokens, show enrolled cards.");
        command.Subcommands.Add(Enroll());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Status());
        return command;
    }

    private static Command Enroll()
    {
        var token = new Option<string>("--token") { Description = "The token's label (see 'mutualauth card list').", Required = true, HelpName = "LABEL" };
        var name = new Option<string>("--name") { Description = "The card's name: the certificate's CN, the key's label on the token, and the name for 'call --card'.", Required = true, HelpName = "NAME" };
        var keyType = new Option<string>("--key-type") { Description = "p256, p384 or rsa (3072 bits).", DefaultValueFactory = _ => "p256", HelpName = "TYPE" };
        keyType.AcceptOnlyFromAmong([.. KeyTypes.Keys]);
        var days = new Option<int>("--days") { Description = "Validity of the certificate in days.", DefaultValueFactory = _ => 365, HelpName = "N" };
        var module = TokenPins.ModuleOption();
        var pinFile = TokenPins.FileOption();
        var pinEnv = TokenPins.EnvironmentOption();
        var command = new Command("enroll", """
            Enrol a card: generate a key pair on the token (private key sensitive and never extractable), have the token
            sign a certificate request, issue a client certificate from this data folder's CA carrying the hardware-key
            policy (servers then see amr hwk and sc), and write the certificate to the token and to cards/NAME.pem.
            Then: mutualauth call URL --card NAME --pin-file FILE.
            """)
        {
            token, name, keyType, days, module, pinFile, pinEnv,
        };
        command.SetRunner(async (parseResult, cancellationToken) =>
        {
            var cardName = parseResult.GetValue(name)!;
            var folder = GlobalOptions.Folder(parseResult);
            if (!DataFolder.IsValidIdentityName(cardName))
            {
                throw CliException.Usage($"'{cardName}' is not a valid card name (letters, digits, '.', '_', '-').");
            }

            if (parseResult.GetValue(days) is <= 0 or > 3650)
            {
                throw CliException.Usage("--days must be between 1 and 3650.");
            }

            var ca = await CertificateAuthorities.OpenInitializedAsync(folder, parseResult, cancellationToken);
            if (File.Exists(Cards.RecordPath(folder, cardName)))
            {
                throw CliException.Usage($"a card '{cardName}' is already enrolled in {folder.Root}.");
            }

            var modulePath = parseResult.GetValue(module) ?? Pkcs11Modules.Default;
            var label = parseResult.GetValue(token)!;
            var tokenUri = new Pkcs11Uri { Token = label };
            var pin = TokenPins.Read(parseResult.GetValue(pinFile), parseResult.GetValue(pinEnv), null, $"token '{label}'");
            try
            {
                var card = Pkcs11Token.Find(modulePath, tokenUri);
                card.Login(pin);
                if (TokenObjects.Exists(card, cardName))
                {
                    throw CliException.Usage($"token '{label}' already holds an object labelled '{cardName}': choose another --name.");
                }

                var id = RandomNumberGenerator.GetBytes(8);
                TokenObjects.GenerateKeyPair(card, cardName, id, KeyTypes[parseResult.GetValue(keyType)!]);
                var keyUri = new Pkcs11Uri { Token = card.Label, Serial = card.Serial, Object = cardName, Id = id, Type = "private" };
                IssuedCertificate issued;
                TokenSigningKey key;
                try
                {
                    key = TokenSigningKey.Open(keyUri, modulePath, pin);
                    issued = await IssueAsync(ca, cardName, key, parseResult.GetValue(days), cancellationToken);
                    TokenObjects.WriteCertificate(card, cardName, id, issued.Certificate);
                }
                catch
                {
                    TokenObjects.Remove(card, id);
                    throw;
                }

                using var keyInUse = key;
                using var issuedInUse = issued;
                Cards.Save(folder, cardName, new CardRecord(keyUri.ToString(), modulePath), issued.ChainPem);
                Console.WriteLine($"Enrolled card '{cardName}' on token '{card.Label}' (serial {card.Serial}): key {key.Algorithm} generated on the token, never extractable; certificate serial {SerialNumbers.Normalize(issued.Certificate.SerialNumber)}, valid until {issued.Certificate.NotAfter.ToUniversalTime():u}, policy hardware-key (amr hwk, sc).");
                Console.WriteLine($"  key:  {keyUri}");
                Console.WriteLine($"  certificate: on the token (same label and id) and {Cards.ChainPath(folder, cardName)}");
                Console.WriteLine($"  use:  mutualauth call URL --card {cardName} --pin-file FILE");
                return ExitCodes.Success;
            }
            catch (TokenException e)
            {
                throw TokenPins.Error(e);
            }
            catch (ArgumentException e)
            {
                throw CliException.Usage(e.Message, e);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pin);
            }
        });
        return command;
    }

    /// <summary>Has the token sign a request for <paramref name="name"/>, checks it, and issues the card certificate.</summary>
    private static Task<IssuedCertificate> IssueAsync(LocalCertificateAuthority ca, string name, TokenSigningKey key, int days, CancellationToken cancellationToken)
    {
        // Proof of possession by the token itself: the request is signed there and checked here.
        var csr = key.CreateCertificateRequest(new X500DistinguishedName($"CN={name}")).CreateSigningRequest();
        var checkedRequest = CertificateRequest.LoadSigningRequest(csr, key.SignatureHash, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        return ca.SignAsync(name, new LeafRequest
        {
            CommonName = name,
            DnsNames = [name], // as the client identities 'ca issue client' makes
            Profile = CertificateProfile.Card,
            NotAfter = DateTimeOffset.UtcNow.AddDays(days),
        }, checkedRequest.PublicKey, cancellationToken);
    }

    private static Command List()
    {
        var module = TokenPins.ModuleOption();
        var pinFile = TokenPins.FileOption();
        pinFile.Description = "Log in with the PIN from this file to list private keys too (one trailing newline is stripped).";
        var pinEnv = TokenPins.EnvironmentOption();
        var json = GlobalOptions.Json();
        var command = new Command("list", "List the tokens of a PKCS#11 module, their keys (with protection flags; private keys only after a login) and certificates.")
        {
            module, pinFile, pinEnv, json,
        };
        command.SetRunner(parseResult =>
        {
            var modulePath = parseResult.GetValue(module) ?? Pkcs11Modules.Default;
            var login = parseResult.GetValue(pinFile) is not null || parseResult.GetValue(pinEnv) is not null;
            var items = new List<TokenListItem>();
            try
            {
                foreach (var token in Pkcs11Token.All(modulePath))
                {
                    if (login)
                    {
                        var pin = TokenPins.Read(parseResult.GetValue(pinFile), parseResult.GetValue(pinEnv), null, $"token '{token.Label}'");
                        try
                        {
                            token.Login(pin);
                        }
                        finally
                        {
                            CryptographicOperations.ZeroMemory(pin);
                        }
                    }

                    items.Add(new TokenListItem(token.Label, token.Serial, token.Manufacturer, token.Model, TokenObjects.List(token)));
                }
            }
            catch (TokenException e)
            {
                throw TokenPins.Error(e);
            }

            if (parseResult.GetValue(json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(items, CliJson.Context.ListTokenListItem));
                return ExitCodes.Success;
            }

            if (items.Count == 0)
            {
                Console.WriteLine($"No token present in {modulePath}.");
            }

            foreach (var item in items)
            {
                Console.WriteLine($"token '{item.Label}' serial {item.Serial} ({item.Manufacturer} {item.Model}): pkcs11:token={Uri.EscapeDataString(item.Label)}");
                foreach (var o in item.Objects)
                {
                    Console.WriteLine($"  {o.Kind,-8} {o.Label,-24} id={o.Id,-18} {o.Detail}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status()
    {
        var json = GlobalOptions.Json();
        var command = new Command("status", "Show the cards enrolled in the data folder: token, key URI, certificate subject, serial and expiry.")
        {
            json,
        };
        command.SetRunner(parseResult =>
        {
            var folder = GlobalOptions.Folder(parseResult);
            var items = new List<CardStatusItem>();
            foreach (var name in Cards.Names(folder))
            {
                var record = Cards.Load(folder, name);
                using var certificate = InputFiles.Certificates(Cards.ChainPath(folder, name))[0];
                items.Add(new CardStatusItem(name, record.Uri, record.Module, certificate.Subject, SerialNumbers.Normalize(certificate.SerialNumber),
                    certificate.NotAfter.ToUniversalTime(), CertificatePolicies.Of(certificate).Contains(Oids.HardwareKeyPolicy)));
            }

            if (parseResult.GetValue(json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(items, CliJson.Context.ListCardStatusItem));
                return ExitCodes.Success;
            }

            if (items.Count == 0)
            {
                Console.WriteLine($"No card enrolled in {folder.Root} (enrol one with 'mutualauth card enroll').");
            }

            foreach (var item in items)
            {
                Console.WriteLine($"{item.Name}: {item.Subject}, serial {item.Serial}, valid until {item.NotAfter:u}{(item.HardwareKey ? ", hardware-key policy" : "")}; key {item.Uri} (module {item.Module})");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>A token in <c>card list</c>.</summary>
internal sealed record TokenListItem(string Label, string Serial, string Manufacturer, string Model, IReadOnlyList<TokenObject> Objects);

/// <summary>An enrolled card in <c>card status</c>.</summary>
internal sealed record CardStatusItem(string Name, string Uri, string Module, string Subject, string Serial, DateTime NotAfter, bool HardwareKey);
