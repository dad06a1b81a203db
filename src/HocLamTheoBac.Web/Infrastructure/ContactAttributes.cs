using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>[VietnamesePhone]: empty, or a number <see cref="ContactRules"/> accepts.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class VietnamesePhoneAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        ContactRules.PhoneProblem(value as string) is { } problem ? new ValidationResult(problem, [context.MemberName ?? ""]) : ValidationResult.Success;
}

/// <summary>[RealEmail]: empty, or an address <see cref="ContactRules"/> accepts (a domain with a dot: "hoa@" and "hoa@abc" are refused).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RealEmailAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        ContactRules.EmailProblem(value as string) is { } problem ? new ValidationResult(problem, [context.MemberName ?? ""]) : ValidationResult.Success;
}
