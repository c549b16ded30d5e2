import { join } from "node:path";
import type { AnalyzerFinding } from "./analysis-report.js";

/**
 * Adds type-checker reference counts to the findings' risk (`deep`): a ts-morph `Project` over
 * the files with findings.
 * @param root - the project root
 * @param findings - updated in place
 */
export async function addReferenceCounts(root: string, findings: AnalyzerFinding[]): Promise<void> {
  const { Project, ts } = await import("ts-morph");
  const project = new Project({
    compilerOptions: { allowJs: true, checkJs: false },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  });
  for (const f of new Set(findings.map((x) => x.file)))
    project.addSourceFileAtPathIfExists(join(root, f));
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as AnalyzerFinding;
    const leaf = f.name?.split(".").pop();
    const source = project.getSourceFile(join(root, f.file));
    if (leaf === undefined || source === undefined) continue;
    const declaration = source
      .getDescendantsOfKind(ts.SyntaxKind.Identifier)
      .find(
        (id) =>
          id.getText() === leaf &&
          id.getStartLineNumber() >= f.startLine &&
          id.getStartLineNumber() <= f.endLine,
      );
    if (declaration === undefined) continue;
    const references = declaration.findReferencesAsNodes().length;
    findings[i] = { ...f, risk: { ...f.risk, references } };
  }
}
