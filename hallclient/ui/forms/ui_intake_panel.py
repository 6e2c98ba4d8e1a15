# Generated from forms/intake_panel.ui by hallclient.ui.formbuild (pyside6-uic). Do not edit.
# -*- coding: utf-8 -*-


from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox,
    QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QRadioButton,
    QSizePolicy, QTableView, QTextBrowser, QVBoxLayout,
    QWidget)

class Ui_IntakePanel(object):
    def setupUi(self, IntakePanel):
        if not IntakePanel.objectName():
            IntakePanel.setObjectName(u"IntakePanel")
        IntakePanel.resize(1340, 660)
        self.intakeLayout = QVBoxLayout(IntakePanel)
        self.intakeLayout.setSpacing(4)
        self.intakeLayout.setObjectName(u"intakeLayout")
        self.intakeLayout.setContentsMargins(4, 4, 4, 4)
        self.headerRow = QHBoxLayout()
        self.headerRow.setObjectName(u"headerRow")
        self.intakeTitle = QLabel(IntakePanel)
        self.intakeTitle.setObjectName(u"intakeTitle")
        self.intakeTitle.setWordWrap(True)

        self.headerRow.addWidget(self.intakeTitle)

        self.intakeMeta = QLabel(IntakePanel)
        self.intakeMeta.setObjectName(u"intakeMeta")

        self.headerRow.addWidget(self.intakeMeta)

        self.prereviewEdit = QLineEdit(IntakePanel)
        self.prereviewEdit.setObjectName(u"prereviewEdit")
        self.prereviewEdit.setMinimumSize(QSize(250, 0))
        self.prereviewEdit.setMaxLength(32)

        self.headerRow.addWidget(self.prereviewEdit)

        self.headerRow.setStretch(0, 1)

        self.intakeLayout.addLayout(self.headerRow)

        self.bodyRow = QHBoxLayout()
        self.bodyRow.setObjectName(u"bodyRow")
        self.applicantBox = QGroupBox(IntakePanel)
        self.applicantBox.setObjectName(u"applicantBox")
        self.applicantBox.setMinimumSize(QSize(330, 0))
        self.applicantBox.setMaximumSize(QSize(360, 16777215))
        self.applicantForm = QFormLayout(self.applicantBox)
        self.applicantForm.setObjectName(u"applicantForm")
        self.applicantForm.setVerticalSpacing(4)
        self.kindCaption = QLabel(self.applicantBox)
        self.kindCaption.setObjectName(u"kindCaption")

        self.applicantForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.kindCaption)

        self.kindRow = QHBoxLayout()
        self.kindRow.setObjectName(u"kindRow")
        self.personRadio = QRadioButton(self.applicantBox)
        self.personRadio.setObjectName(u"personRadio")
        self.personRadio.setChecked(True)

        self.kindRow.addWidget(self.personRadio)

        self.organisationRadio = QRadioButton(self.applicantBox)
        self.organisationRadio.setObjectName(u"organisationRadio")

        self.kindRow.addWidget(self.organisationRadio)


        self.applicantForm.setLayout(0, QFormLayout.ItemRole.FieldRole, self.kindRow)

        self.nameCaption = QLabel(self.applicantBox)
        self.nameCaption.setObjectName(u"nameCaption")

        self.applicantForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.nameCaption)

        self.nameEdit = QLineEdit(self.applicantBox)
        self.nameEdit.setObjectName(u"nameEdit")

        self.applicantForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.nameEdit)

        self.usccCaption = QLabel(self.applicantBox)
        self.usccCaption.setObjectName(u"usccCaption")

        self.applicantForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.usccCaption)

        self.usccEdit = QLineEdit(self.applicantBox)
        self.usccEdit.setObjectName(u"usccEdit")
        self.usccEdit.setMaxLength(18)

        self.applicantForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.usccEdit)

        self.legalRepCaption = QLabel(self.applicantBox)
        self.legalRepCaption.setObjectName(u"legalRepCaption")

        self.applicantForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.legalRepCaption)

        self.legalRepEdit = QLineEdit(self.applicantBox)
        self.legalRepEdit.setObjectName(u"legalRepEdit")

        self.applicantForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.legalRepEdit)

        self.idTypeCaption = QLabel(self.applicantBox)
        self.idTypeCaption.setObjectName(u"idTypeCaption")

        self.applicantForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.idTypeCaption)

        self.idTypeCombo = QComboBox(self.applicantBox)
        self.idTypeCombo.setObjectName(u"idTypeCombo")

        self.applicantForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.idTypeCombo)

        self.idNumberCaption = QLabel(self.applicantBox)
        self.idNumberCaption.setObjectName(u"idNumberCaption")

        self.applicantForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.idNumberCaption)

        self.idNumberEdit = QLineEdit(self.applicantBox)
        self.idNumberEdit.setObjectName(u"idNumberEdit")
        self.idNumberEdit.setMaxLength(32)

        self.applicantForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.idNumberEdit)

        self.phoneCaption = QLabel(self.applicantBox)
        self.phoneCaption.setObjectName(u"phoneCaption")

        self.applicantForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.phoneCaption)

        self.phoneEdit = QLineEdit(self.applicantBox)
        self.phoneEdit.setObjectName(u"phoneEdit")
        self.phoneEdit.setMaxLength(20)

        self.applicantForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.phoneEdit)

        self.agentNameCaption = QLabel(self.applicantBox)
        self.agentNameCaption.setObjectName(u"agentNameCaption")

        self.applicantForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.agentNameCaption)

        self.agentNameEdit = QLineEdit(self.applicantBox)
        self.agentNameEdit.setObjectName(u"agentNameEdit")

        self.applicantForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.agentNameEdit)

        self.agentIdCaption = QLabel(self.applicantBox)
        self.agentIdCaption.setObjectName(u"agentIdCaption")

        self.applicantForm.setWidget(8, QFormLayout.ItemRole.LabelRole, self.agentIdCaption)

        self.agentIdEdit = QLineEdit(self.applicantBox)
        self.agentIdEdit.setObjectName(u"agentIdEdit")
        self.agentIdEdit.setMaxLength(18)

        self.applicantForm.setWidget(8, QFormLayout.ItemRole.FieldRole, self.agentIdEdit)

        self.agentPoaCheck = QCheckBox(self.applicantBox)
        self.agentPoaCheck.setObjectName(u"agentPoaCheck")

        self.applicantForm.setWidget(9, QFormLayout.ItemRole.FieldRole, self.agentPoaCheck)

        self.badCreditCheck = QCheckBox(self.applicantBox)
        self.badCreditCheck.setObjectName(u"badCreditCheck")

        self.applicantForm.setWidget(10, QFormLayout.ItemRole.FieldRole, self.badCreditCheck)

        self.applicantProblems = QLabel(self.applicantBox)
        self.applicantProblems.setObjectName(u"applicantProblems")
        self.applicantProblems.setWordWrap(True)

        self.applicantForm.setWidget(11, QFormLayout.ItemRole.SpanningRole, self.applicantProblems)


        self.bodyRow.addWidget(self.applicantBox)

        self.checklistColumn = QVBoxLayout()
        self.checklistColumn.setObjectName(u"checklistColumn")
        self.checklistHint = QLabel(IntakePanel)
        self.checklistHint.setObjectName(u"checklistHint")
        self.checklistHint.setWordWrap(True)

        self.checklistColumn.addWidget(self.checklistHint)

        self.checklistTable = QTableView(IntakePanel)
        self.checklistTable.setObjectName(u"checklistTable")
        self.checklistTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.checklistTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.checklistTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.checklistTable.setTabKeyNavigation(False)

        self.checklistColumn.addWidget(self.checklistTable)

        self.markProblem = QLabel(IntakePanel)
        self.markProblem.setObjectName(u"markProblem")

        self.checklistColumn.addWidget(self.markProblem)

        self.decisionBox = QGroupBox(IntakePanel)
        self.decisionBox.setObjectName(u"decisionBox")
        self.decisionLayout = QHBoxLayout(self.decisionBox)
        self.decisionLayout.setObjectName(u"decisionLayout")
        self.decisionLabel = QLabel(self.decisionBox)
        self.decisionLabel.setObjectName(u"decisionLabel")
        self.decisionLabel.setMinimumSize(QSize(150, 0))
        self.decisionLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.decisionLayout.addWidget(self.decisionLabel)

        self.reasonsView = QTextBrowser(self.decisionBox)
        self.reasonsView.setObjectName(u"reasonsView")
        self.reasonsView.setMinimumSize(QSize(0, 96))
        self.reasonsView.setMaximumSize(QSize(16777215, 150))

        self.decisionLayout.addWidget(self.reasonsView)

        self.decisionButtons = QVBoxLayout()
        self.decisionButtons.setObjectName(u"decisionButtons")
        self.confirmButton = QPushButton(self.decisionBox)
        self.confirmButton.setObjectName(u"confirmButton")
        self.confirmButton.setEnabled(False)

        self.decisionButtons.addWidget(self.confirmButton)

        self.refuseButton = QPushButton(self.decisionBox)
        self.refuseButton.setObjectName(u"refuseButton")
        self.refuseButton.setEnabled(False)

        self.decisionButtons.addWidget(self.refuseButton)

        self.cancelButton = QPushButton(self.decisionBox)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setEnabled(False)

        self.decisionButtons.addWidget(self.cancelButton)


        self.decisionLayout.addLayout(self.decisionButtons)

        self.decisionLayout.setStretch(1, 1)

        self.checklistColumn.addWidget(self.decisionBox)

        self.checklistColumn.setStretch(1, 1)

        self.bodyRow.addLayout(self.checklistColumn)

        self.bodyRow.setStretch(1, 1)

        self.intakeLayout.addLayout(self.bodyRow)

        QWidget.setTabOrder(self.personRadio, self.organisationRadio)
        QWidget.setTabOrder(self.organisationRadio, self.nameEdit)
        QWidget.setTabOrder(self.nameEdit, self.usccEdit)
        QWidget.setTabOrder(self.usccEdit, self.legalRepEdit)
        QWidget.setTabOrder(self.legalRepEdit, self.idTypeCombo)
        QWidget.setTabOrder(self.idTypeCombo, self.idNumberEdit)
        QWidget.setTabOrder(self.idNumberEdit, self.phoneEdit)
        QWidget.setTabOrder(self.phoneEdit, self.agentNameEdit)
        QWidget.setTabOrder(self.agentNameEdit, self.agentIdEdit)
        QWidget.setTabOrder(self.agentIdEdit, self.agentPoaCheck)
        QWidget.setTabOrder(self.agentPoaCheck, self.badCreditCheck)
        QWidget.setTabOrder(self.badCreditCheck, self.checklistTable)
        QWidget.setTabOrder(self.checklistTable, self.confirmButton)

        self.retranslateUi(IntakePanel)

        QMetaObject.connectSlotsByName(IntakePanel)
    # setupUi

    def retranslateUi(self, IntakePanel):
        self.intakeTitle.setText(QCoreApplication.translate("IntakePanel", u"\u5c1a\u672a\u5f00\u59cb\u53d7\u7406\uff1a\u5728\u300c\u4e8b\u9879\u6e05\u5355\u300d\u4e2d\u9009\u62e9\u4e8b\u9879\u540e\u6309 Enter", None))
        self.intakeMeta.setText("")
        self.prereviewEdit.setPlaceholderText(QCoreApplication.translate("IntakePanel", u"\u9884\u5ba1\u7f16\u53f7\u6216\u626b\u7801 (Ctrl+Shift+Y)", None))
#if QT_CONFIG(tooltip)
        self.prereviewEdit.setToolTip(QCoreApplication.translate("IntakePanel", u"\u8f93\u5165\u9884\u5ba1\u7f16\u53f7\uff08YS \u5f00\u5934\uff09\u6216\u7528\u626b\u7801\u67aa\u626b\u63cf\u9884\u5ba1\u610f\u89c1\u5355\u4e0a\u7684\u4e8c\u7ef4\u7801\uff0c\u6309 Enter \u8c03\u53d6\u9884\u5ba1", None))
#endif // QT_CONFIG(tooltip)
        self.applicantBox.setTitle(QCoreApplication.translate("IntakePanel", u"\u7533\u8bf7\u4eba", None))
        self.kindCaption.setText(QCoreApplication.translate("IntakePanel", u"\u7c7b\u578b", None))
        self.personRadio.setText(QCoreApplication.translate("IntakePanel", u"\u4e2a\u4eba", None))
        self.organisationRadio.setText(QCoreApplication.translate("IntakePanel", u"\u5355\u4f4d", None))
        self.nameCaption.setText(QCoreApplication.translate("IntakePanel", u"\u59d3\u540d/\u540d\u79f0", None))
        self.usccCaption.setText(QCoreApplication.translate("IntakePanel", u"\u4fe1\u7528\u4ee3\u7801", None))
        self.legalRepCaption.setText(QCoreApplication.translate("IntakePanel", u"\u6cd5\u5b9a\u4ee3\u8868\u4eba", None))
        self.idTypeCaption.setText(QCoreApplication.translate("IntakePanel", u"\u8bc1\u4ef6\u7c7b\u578b", None))
        self.idNumberCaption.setText(QCoreApplication.translate("IntakePanel", u"\u8bc1\u4ef6\u53f7\u7801", None))
        self.phoneCaption.setText(QCoreApplication.translate("IntakePanel", u"\u8054\u7cfb\u7535\u8bdd", None))
        self.agentNameCaption.setText(QCoreApplication.translate("IntakePanel", u"\u4ee3\u7406\u4eba", None))
        self.agentNameEdit.setPlaceholderText(QCoreApplication.translate("IntakePanel", u"\u672c\u4eba\u529e\u7406\u53ef\u4e0d\u586b", None))
        self.agentIdCaption.setText(QCoreApplication.translate("IntakePanel", u"\u4ee3\u7406\u4eba\u8eab\u4efd\u8bc1", None))
        self.agentPoaCheck.setText(QCoreApplication.translate("IntakePanel", u"\u5df2\u63d0\u4ea4\u6388\u6743\u59d4\u6258\u4e66", None))
        self.badCreditCheck.setText(QCoreApplication.translate("IntakePanel", u"\u4fe1\u7528\u6838\u67e5\uff1a\u5b58\u5728\u5931\u4fe1\u8bb0\u5f55", None))
        self.applicantProblems.setText("")
        self.checklistHint.setText(QCoreApplication.translate("IntakePanel", u"\u6750\u6599\u6838\u9a8c\uff1a\u2191\u2193 \u9009\u884c\uff0c1 \u539f\u4ef6 2 \u590d\u5370\u4ef6 3 \u7535\u5b50\u8bc1\u7167 4 \u544a\u77e5\u627f\u8bfa 5 \u5bb9\u7f3a 6 \u7f3a\u5c11 7 \u4e0d\u7b26\u5408\u8981\u6c42 8 \u4e0d\u9002\u7528\uff0c\u7a7a\u683c \u6536\u53d6/\u7f3a\u5c11\uff0c+/- \u4efd\u6570", None))
        self.markProblem.setText("")
        self.decisionBox.setTitle(QCoreApplication.translate("IntakePanel", u"\u53d7\u7406\u51b3\u5b9a\uff08\u968f\u52fe\u9009\u5b9e\u65f6\u66f4\u65b0\uff09", None))
        self.decisionLabel.setText(QCoreApplication.translate("IntakePanel", u"\u2014", None))
        self.confirmButton.setText(QCoreApplication.translate("IntakePanel", u"\u786e\u8ba4 (Ctrl+Enter)", None))
        self.refuseButton.setText(QCoreApplication.translate("IntakePanel", u"\u4e0d\u4e88\u53d7\u7406\u2026 (Ctrl+R)", None))
        self.cancelButton.setText(QCoreApplication.translate("IntakePanel", u"\u653e\u5f03 (Ctrl+W)", None))
        pass
    # retranslateUi

