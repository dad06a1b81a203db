namespace HocLamTheoBac.Web.Pages.Users;

/// <summary>Temporary passwords given by an administrator (accounts pages) or <c>hlb users add</c>.</summary>
public static class Passwords
{
    /// <summary>A random password that meets the site's rules (length, upper, lower, digit).</summary>
    public static string Generate()
    {
        const string chars = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var body = System.Security.Cryptography.RandomNumberGenerator.GetString(chars, 12);
        return "Hl" + body + "7";
    }
}
