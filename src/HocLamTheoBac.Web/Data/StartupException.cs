namespace HocLamTheoBac.Web.Data;

/// <summary>A start-up problem the operator must fix; printed as one line, never a stack trace.</summary>
public sealed class StartupException(string message) : Exception(message);
