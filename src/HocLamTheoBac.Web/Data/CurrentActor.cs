namespace HocLamTheoBac.Web.Data;

/// <summary>Who is making changes: a signed-in account, or the server's operator on the command line.</summary>
public interface ICurrentActor
{
    string Name { get; }
    string? UserId { get; }
}

public sealed record CurrentActor(string Name, string? UserId) : ICurrentActor
{
    public static readonly CurrentActor Operator = new("operator (dòng lệnh)", null);
}
