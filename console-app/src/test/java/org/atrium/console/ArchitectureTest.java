package org.atrium.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** DESIGN.md §5: client without JavaFX, view models without controls, views never wired from below. */
@AnalyzeClasses(packages = "org.atrium.console", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule clientHasNoJavaFx = noClasses().that().resideInAPackage("..console.client..")
            .should().dependOnClassesThat().resideInAPackage("javafx..");

    @ArchTest
    static final ArchRule clientDoesNotKnowTheUi = noClasses().that().resideInAPackage("..console.client..")
            .should().dependOnClassesThat().resideInAnyPackage("..console.view..", "..console.app..");

    @ArchTest
    static final ArchRule viewModelsHaveNoControlsOrScenes = noClasses().that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "org.controlsfx..",
                    "io.fair_acc..", "atlantafx..", "org.kordamp.ikonli..");

    @ArchTest
    static final ArchRule viewModelsDoNotTouchHttp = noClasses().that().haveSimpleNameEndingWith("ViewModel")
            .should().dependOnClassesThat().resideInAnyPackage("java.net.http..");

    @ArchTest
    static final ArchRule sharedViewStateHasNoControls = noClasses().that().resideInAPackage("org.atrium.console.view")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..");

    @ArchTest
    static final ArchRule viewsDoNotReachIntoTheApp = noClasses().that().resideInAPackage("..console.view..")
            .should().dependOnClassesThat().resideInAPackage("..console.app..");
}
