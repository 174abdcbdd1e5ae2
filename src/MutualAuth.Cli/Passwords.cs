using System.CommandLine;
using System.Text;

namespace MutualAuth.Cli;

/// <summary>Where a command reads a password from: a file, an environment variable, standard input or a prompt. Never a flag value, never printed.</summary>
internal sealed class Passwords
{
    public Option<string?> File { get; } = new("--password-file") { Description = "Read the password from this file (first line).", HelpName = "FILE" };

    public Option<string?> Environment { get; } = new("--password-env") { Description = "Read the password from this environment variable.", HelpName = "NAME" };

    public Option<bool> Stdin { get; } = new("--password-stdin") { Description = "Read the password from the first line of standard input." };

    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(Environment);
        command.Options.Add(Stdin);
    }

    public string Read(ParseResult parseResult, string prompt)
    {
        string? password;
        if (parseResult.GetValue(File) is { } path)
        {
            password = InputFiles.ReadText(path).Split('\n')[0].TrimEnd('\r');
        }
        else if (parseResult.GetValue(Environment) is { } name)
        {
            password = System.Environment.GetEnvironmentVariable(name) ?? throw CliException.Usage($"the environment variable {name} is not set.");
        }
        else if (parseResult.GetValue(Stdin))
        {
            password = Console.In.ReadLine();
        }
        else if (!Console.IsInputRedirected)
        {
            password = Prompt(prompt);
        }
        else
        {
            throw CliException.Usage("no password: give --password-file, --password-env or --password-stdin (standard input is not a terminal).");
        }

        return string.IsNullOrEmpty(password) ? throw CliException.Usage("the password is empty.") : password;
    }

    /// <summary>Asks on the terminal without echo.</summary>
    internal static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var builder = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return builder.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (builder.Length > 0)
                {
                    builder.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                builder.Append(key.KeyChar);
            }
        }
    }
}
