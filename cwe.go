package vmt

import "strings"

// cweNames are the names MITRE gives the weaknesses advisories here cite
// most (the CWE Top 25 and those of the container, runtime and Go
// advisories in the conformance data). An id not listed is shown with
// its link and no name: the table is for reading, not for checking, and
// any well-formed id may be cited (advisory_validate.go).
var cweNames = map[string]string{
	"CWE-20":   "Improper Input Validation",
	"CWE-22":   "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
	"CWE-59":   "Improper Link Resolution Before File Access ('Link Following')",
	"CWE-61":   "UNIX Symbolic Link (Symlink) Following",
	"CWE-74":   "Improper Neutralization of Special Elements in Output Used by a Downstream Component ('Injection')",
	"CWE-77":   "Improper Neutralization of Special Elements used in a Command ('Command Injection')",
	"CWE-78":   "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
	"CWE-79":   "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
	"CWE-89":   "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
	"CWE-91":   "XML Injection (aka Blind XPath Injection)",
	"CWE-94":   "Improper Control of Generation of Code ('Code Injection')",
	"CWE-119":  "Improper Restriction of Operations within the Bounds of a Memory Buffer",
	"CWE-120":  "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')",
	"CWE-125":  "Out-of-bounds Read",
	"CWE-129":  "Improper Validation of Array Index",
	"CWE-187":  "Partial String Comparison",
	"CWE-190":  "Integer Overflow or Wraparound",
	"CWE-200":  "Exposure of Sensitive Information to an Unauthorized Actor",
	"CWE-250":  "Execution with Unnecessary Privileges",
	"CWE-269":  "Improper Privilege Management",
	"CWE-276":  "Incorrect Default Permissions",
	"CWE-284":  "Improper Access Control",
	"CWE-285":  "Improper Authorization",
	"CWE-287":  "Improper Authentication",
	"CWE-295":  "Improper Certificate Validation",
	"CWE-306":  "Missing Authentication for Critical Function",
	"CWE-312":  "Cleartext Storage of Sensitive Information",
	"CWE-319":  "Cleartext Transmission of Sensitive Information",
	"CWE-327":  "Use of a Broken or Risky Cryptographic Algorithm",
	"CWE-330":  "Use of Insufficiently Random Values",
	"CWE-352":  "Cross-Site Request Forgery (CSRF)",
	"CWE-362":  "Concurrent Execution using Shared Resource with Improper Synchronization ('Race Condition')",
	"CWE-367":  "Time-of-check Time-of-use (TOCTOU) Race Condition",
	"CWE-400":  "Uncontrolled Resource Consumption",
	"CWE-401":  "Missing Release of Memory after Effective Lifetime",
	"CWE-403":  "Exposure of File Descriptor to Unintended Control Sphere ('File Descriptor Leak')",
	"CWE-416":  "Use After Free",
	"CWE-434":  "Unrestricted Upload of File with Dangerous Type",
	"CWE-476":  "NULL Pointer Dereference",
	"CWE-502":  "Deserialization of Untrusted Data",
	"CWE-506":  "Embedded Malicious Code",
	"CWE-522":  "Insufficiently Protected Credentials",
	"CWE-532":  "Insertion of Sensitive Information into Log File",
	"CWE-601":  "URL Redirection to Untrusted Site ('Open Redirect')",
	"CWE-611":  "Improper Restriction of XML External Entity Reference",
	"CWE-639":  "Authorization Bypass Through User-Controlled Key",
	"CWE-665":  "Improper Initialization",
	"CWE-668":  "Exposure of Resource to Wrong Sphere",
	"CWE-669":  "Incorrect Resource Transfer Between Spheres",
	"CWE-674":  "Uncontrolled Recursion",
	"CWE-732":  "Incorrect Permission Assignment for Critical Resource",
	"CWE-755":  "Improper Handling of Exceptional Conditions",
	"CWE-770":  "Allocation of Resources Without Limits or Throttling",
	"CWE-787":  "Out-of-bounds Write",
	"CWE-798":  "Use of Hard-coded Credentials",
	"CWE-835":  "Loop with Unreachable Exit Condition ('Infinite Loop')",
	"CWE-843":  "Access of Resource Using Incompatible Type ('Type Confusion')",
	"CWE-862":  "Missing Authorization",
	"CWE-863":  "Incorrect Authorization",
	"CWE-918":  "Server-Side Request Forgery (SSRF)",
	"CWE-1188": "Initialization of a Resource with an Insecure Default",
	"CWE-1220": "Insufficient Granularity of Access Control",
	"CWE-1321": "Improperly Controlled Modification of Object Prototype Attributes ('Prototype Pollution')",
	"CWE-1333": "Inefficient Regular Expression Complexity",
}

// CWE is a weakness an advisory cites, for its page.
type CWE struct {
	ID   string // CWE-79
	Name string // "" when the table does not have it
	URL  string // its definition at MITRE
}

// CWEOf names the weakness id (as advisories keep it, "CWE-79") and links
// its definition at MITRE.
func CWEOf(id string) CWE {
	id = strings.ToUpper(strings.TrimSpace(id))
	return CWE{ID: id, Name: cweNames[id],
		URL: "https://cwe.mitre.org/data/definitions/" + strings.TrimPrefix(id, "CWE-") + ".html"}
}
